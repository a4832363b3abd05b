/**
 * How the file store's journal and snapshot files hold records: a sequence of frames, each a
 * header line `#<length> <crc32>` and then <length> bytes of record lines (state-record.ts, one
 * per line). A journal gets one frame per group-committed batch. The checksum covers the whole
 * batch, so a batch torn by a crash (cut short, or only some of its pages on disk) never passes,
 * whichever of its bytes reached the disk.
 */
import { crc32 } from 'node:zlib';

const HEADER = /^#(\d{1,10}) ([0-9a-f]{8})$/;
const MAX_HEADER_BYTES = 21;
const NEWLINE = 0x0a;
const HASH = 0x23;

/** One frame holding `lines` (each ending in a newline). */
export function formatFrame(lines: string): Buffer {
  const length = Buffer.byteLength(lines, 'utf8');
  const body = Buffer.allocUnsafe(length + MAX_HEADER_BYTES);
  const start = body.write(`#${length} 00000000\n`, 'latin1');
  body.write(lines, start, 'utf8');
  body.write(hex(crc32(body.subarray(start, start + length))), start - 9, 'latin1');
  return body.subarray(0, start + length);
}

export type Frame =
  | { readonly ok: true; readonly offset: number; readonly payloadOffset: number; readonly end: number }
  | { readonly ok: false; readonly offset: number; readonly reason: string };

/** The frame starting at byte `offset` of `data`, checked. */
export function readFrame(data: Buffer, offset: number): Frame {
  const newline = data.indexOf(NEWLINE, offset);
  if (newline === -1 || newline - offset > MAX_HEADER_BYTES) {
    return { ok: false, offset, reason: newline === -1 ? 'an incomplete frame header' : 'no frame header' };
  }
  const match = HEADER.exec(data.toString('latin1', offset, newline));
  if (!match) return { ok: false, offset, reason: 'no frame header' };
  const payloadOffset = newline + 1;
  const end = payloadOffset + Number(match[1]);
  if (end > data.length) return { ok: false, offset, reason: `a frame of ${match[1]} bytes cut short at ${data.length - payloadOffset}` };
  if (hex(crc32(data.subarray(payloadOffset, end))) !== match[2]) return { ok: false, offset, reason: 'a checksum mismatch' };
  if (end > payloadOffset && data[end - 1] !== NEWLINE) return { ok: false, offset, reason: 'a frame not ending in a newline' };
  return { ok: true, offset, payloadOffset, end };
}

/** Whether a complete, checked frame starts anywhere after byte `offset` (where a frame was bad). */
export function hasFrameAfter(data: Buffer, offset: number): boolean {
  for (let at = data.indexOf(NEWLINE, offset); at !== -1 && at + 1 < data.length; at = data.indexOf(NEWLINE, at + 1)) {
    if (data[at + 1] === HASH && readFrame(data, at + 1).ok) return true;
  }
  return false;
}

/** The lines of a checked frame with the byte offset each starts at. */
export function* frameLines(data: Buffer, frame: { payloadOffset: number; end: number }): Generator<{ offset: number; line: string }> {
  for (let start = frame.payloadOffset; start < frame.end; ) {
    const newline = data.indexOf(NEWLINE, start);
    yield { offset: start, line: data.toString('utf8', start, newline) };
    start = newline + 1;
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(8, '0');
}
