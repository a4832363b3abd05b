/**
 * Replaces `path` with `data` (one buffer, or chunks written one after another, each made when its
 * turn comes, so a large file never has to be built in one piece) so that a reader, or the next process after a crash, sees either the
 * old content or the new one, never a mix: write a temporary file in the same directory, fsync it,
 * rename it over the target (atomic on POSIX within one file system), then fsync the directory so
 * the rename itself survives a power cut. Temporary files start with `.tmp-`.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { syncDirectory } from '../fs/sync-directory.ts';
import type { FileCalls } from '../fs/file-calls.ts';

export const TEMP_PREFIX = '.tmp-';

export async function writeFileAtomic(fs: FileCalls, path: string, data: Uint8Array | Iterable<Uint8Array>): Promise<void> {
  const directory = dirname(path);
  const temp = join(directory, `${TEMP_PREFIX}${basename(path)}-${randomBytes(6).toString('hex')}`);
  try {
    const fd = await fs.open(temp, 'wx');
    try {
      for (const chunk of data instanceof Uint8Array ? [data] : data) await fs.write(fd, chunk);
      await fs.fsync(fd);
    } finally {
      await fs.close(fd);
    }
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(fs, directory);
}
