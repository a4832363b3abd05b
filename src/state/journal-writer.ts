/**
 * Group commit for the file store's journal. `append(line, apply)` queues a record line; the
 * queued lines are written as one frame (state-frame.ts) with one durable write (a write on a
 * journal opened with O_DSYNC, else a write and an fdatasync), while the lines that arrive
 * meanwhile queue for the next batch. When the batch is durable, every
 * `apply` of it runs, then every `append` of it resolves, so what a reader can see is always on
 * disk.
 *
 * If a batch cannot be written or synced, every `append` of it rejects and nothing of it is
 * applied; the journal is cut back to its last good length. If even that fails, the journal can no
 * longer be trusted and every later `append` rejects (restart to recover).
 */
import type { FileCalls } from '../fs/file-calls.ts';
import { formatFrame } from './state-frame.ts';

export interface JournalWriter {
  append(line: string, apply: () => void): Promise<void>;
  /**
   * Between two batches: `open` the next journal, switch to it and close the current one, then
   * run `switched` (synchronously, before any batch is written to the new journal).
   */
  rotate(open: () => Promise<number>, switched: () => void): Promise<void>;
  /** Settles when everything queued so far is written (or failed), then closes the journal. */
  close(): Promise<void>;
}

export interface JournalWriterOptions {
  fs: Pick<FileCalls, 'write' | 'fdatasync' | 'ftruncate' | 'close'>;
  /** The journal's file descriptor, opened for appending, holding `length` good bytes. */
  fd: number;
  length: number;
  /** The journal was opened with O_DSYNC: a write returns once its data is durable. */
  syncedWrites: boolean;
  /** Called after each durable batch with its size in bytes. */
  committed?: (bytes: number) => void;
}

interface Pending {
  readonly line: string;
  readonly apply: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface Rotation {
  readonly open: () => Promise<number>;
  readonly switched: () => void;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function createJournalWriter(options: JournalWriterOptions): JournalWriter {
  const { fs } = options;
  let fd = options.fd;
  let length = options.length;
  let queue: Pending[] = [];
  let rotation: Rotation | undefined;
  let running: Promise<void> | undefined;
  let broken: Error | undefined;
  let closing: Promise<void> | undefined;

  const start = (): void => {
    // setImmediate: everything queued by the callbacks of this turn of the event loop joins the batch.
    running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
  };

  const drain = async (): Promise<void> => {
    try {
      while (queue.length > 0 || rotation !== undefined) {
        if (rotation !== undefined) await switchJournal(rotation);
        if (queue.length > 0) await writeBatch();
      }
    } finally {
      running = undefined; // in the same turn as the last check: nothing queued can be missed
    }
  };

  const switchJournal = async (r: Rotation): Promise<void> => {
    rotation = undefined;
    try {
      const next = await r.open();
      const previous = fd;
      fd = next;
      length = 0;
      r.switched();
      r.resolve();
      await fs.close(previous).catch(() => undefined);
    } catch (error) {
      r.reject(error);
    }
  };

  const writeBatch = async (): Promise<void> => {
    const batch = queue;
    queue = [];
    if (broken !== undefined) {
      for (const entry of batch) entry.reject(broken);
      return;
    }
    let lines = '';
    for (const entry of batch) lines += entry.line;
    const frame = formatFrame(lines);
    try {
      await fs.write(fd, frame);
      if (!options.syncedWrites) await fs.fdatasync(fd);
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      await cutBack(error);
      return;
    }
    length += frame.length;
    for (const entry of batch) entry.apply();
    for (const entry of batch) entry.resolve();
    options.committed?.(frame.length);
  };

  /** Removes whatever part of a failed batch reached the file. */
  const cutBack = async (cause: unknown): Promise<void> => {
    try {
      await fs.ftruncate(fd, length);
      await fs.fdatasync(fd);
    } catch (error) {
      broken = new Error(
        `the journal could not be cut back after a failed write (${(cause as Error).message}): ${(error as Error).message}; restart to recover`,
        { cause: error },
      );
    }
  };

  return {
    append(line, apply) {
      if (broken !== undefined) return Promise.reject(broken);
      return new Promise<void>((resolve, reject) => {
        queue.push({ line, apply, resolve, reject });
        start();
      });
    },

    rotate(open, switched) {
      if (broken !== undefined) return Promise.reject(broken);
      if (rotation !== undefined) return Promise.reject(new Error('a journal rotation is already pending'));
      return new Promise<void>((resolve, reject) => {
        rotation = { open, switched, resolve, reject };
        start();
      });
    },

    close() {
      // Closing twice closes the descriptor once (a second close could close a reused number).
      closing ??= (async () => {
        while (running !== undefined) await running;
        await fs.close(fd);
      })();
      return closing;
    },
  };
}
