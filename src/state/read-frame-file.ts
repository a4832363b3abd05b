/**
 * Reads the records of a journal or snapshot file (state-frame.ts). A bad frame with no good frame
 * after it, in a file that may have one (the newest journal), is a batch torn by a crash while it
 * was being written: it was never acknowledged, so it is reported as `torn` and left out. Any other
 * bad frame is corruption: a StateError naming the file and byte offset.
 */
import { StateError } from '../errors.ts';
import { frameLines, hasFrameAfter, readFrame } from './state-frame.ts';
import { parseStateRecord, type StateRecord } from './state-record.ts';

export interface FrameFileContent {
  readonly records: StateRecord[];
  /** Bytes of good frames: where the next frame goes. */
  readonly length: number;
  readonly torn: { readonly offset: number; readonly reason: string } | undefined;
}

export function readFrameFile(file: string, data: Buffer, options: { mayBeTorn: boolean }): FrameFileContent {
  const records: StateRecord[] = [];
  let offset = 0;
  while (offset < data.length) {
    const frame = readFrame(data, offset);
    if (!frame.ok) {
      if (options.mayBeTorn && !hasFrameAfter(data, offset)) return { records, length: offset, torn: { offset, reason: frame.reason } };
      throw new StateError(
        `state file ${file} is corrupt at byte ${offset}: ${frame.reason}; move it away or restore the state directory from a backup`,
      );
    }
    for (const { offset: at, line } of frameLines(data, frame)) records.push(parseStateRecord(`${file} at byte ${at}`, undefined, line));
    offset = frame.end;
  }
  return { records, length: offset, torn: undefined };
}
