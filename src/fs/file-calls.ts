/**
 * The file system calls the durable writers make (the file sink, the file state store), through
 * file descriptors, one libuv thread-pool request each: node:fs's callback functions wrapped in one
 * promise per call, without a FileHandle object per open file. Inject a wrapper to test failures
 * and ordering.
 */
import fs from 'node:fs';

export interface FileCalls {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  access(path: string, mode?: number): Promise<void>;
  /** A file descriptor; `flags` as node:fs takes them (`'r'`, `'wx'`, or fs.constants ORed). */
  open(path: string, flags: string | number): Promise<number>;
  /** Writes all of `data` at the current position (a short write continues where it stopped). */
  write(fd: number, data: Uint8Array): Promise<void>;
  fsync(fd: number): Promise<void>;
  fdatasync(fd: number): Promise<void>;
  ftruncate(fd: number, length: number): Promise<void>;
  close(fd: number): Promise<void>;
  link(existingPath: string, newPath: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true; recursive?: true }): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
}

type Done<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

function call<T>(start: (done: Done<T>) => void): Promise<T> {
  return new Promise((resolve, reject) => start((error, value) => (error ? reject(error) : resolve(value))));
}

function writeAll(fd: number, data: Uint8Array, offset: number, done: (error: NodeJS.ErrnoException | null) => void): void {
  fs.write(fd, data, offset, data.length - offset, null, (error, written) => {
    if (error) done(error);
    else if (offset + written < data.length) writeAll(fd, data, offset + written, done);
    else done(null);
  });
}

export const nodeFileCalls: FileCalls = {
  mkdir: (path, options) => call((done) => fs.mkdir(path, options, done)),
  access: (path, mode) => call<void>((done) => fs.access(path, mode, done)),
  open: (path, flags) => call<number>((done) => fs.open(path, flags, done)),
  write: (fd, data) => call<void>((done) => writeAll(fd, data, 0, done)),
  fsync: (fd) => call<void>((done) => fs.fsync(fd, done)),
  fdatasync: (fd) => call<void>((done) => fs.fdatasync(fd, done)),
  ftruncate: (fd, length) => call<void>((done) => fs.ftruncate(fd, length, done)),
  close: (fd) => call<void>((done) => fs.close(fd, done)),
  link: (existingPath, newPath) => call<void>((done) => fs.link(existingPath, newPath, done)),
  unlink: (path) => call<void>((done) => fs.unlink(path, done)),
  rename: (from, to) => call<void>((done) => fs.rename(from, to, done)),
  rm: (path, options) => call<void>((done) => fs.rm(path, options, done)),
  readFile: (path) => call<Buffer>((done) => fs.readFile(path, done)),
  readdir: (path) => call<string[]>((done) => fs.readdir(path, done)),
};
