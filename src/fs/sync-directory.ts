/**
 * fsync of a directory, so that the names created, renamed or removed in it survive a power cut.
 * The state store's atomic writes and the file sink's runs both need it.
 */
import type { FileCalls } from './file-calls.ts';

export async function syncDirectory(fs: Pick<FileCalls, 'open' | 'fsync' | 'close'>, directory: string): Promise<void> {
  const fd = await fs.open(directory, 'r');
  try {
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
}

interface DirectorySyncState {
  running: Promise<void> | undefined;
  queued: Promise<void> | undefined;
}

/**
 * fsync of a folder, shared: a caller gets a sync that starts after its call (so it covers what the
 * caller did before), and every caller that arrives while one sync runs shares the next one.
 */
export function createSharedDirectorySync(sync: (folder: string) => Promise<void>): (folder: string) => Promise<void> {
  const folders = new Map<string, DirectorySyncState>();
  const start = (folder: string, entry: DirectorySyncState): Promise<void> => {
    const running = sync(folder).finally(() => {
      if (entry.running === running) entry.running = undefined;
      if (entry.running === undefined && entry.queued === undefined) folders.delete(folder);
    });
    entry.running = running;
    return running;
  };
  return (folder) => {
    let entry = folders.get(folder);
    if (entry === undefined) {
      entry = { running: undefined, queued: undefined };
      folders.set(folder, entry);
    }
    const current = entry;
    if (current.queued) return current.queued;
    if (current.running === undefined) return start(folder, current);
    const queued = current.running
      .catch(() => undefined)
      .then(() => {
        current.queued = undefined;
        return start(folder, current);
      });
    current.queued = queued;
    return queued;
  };
}
