/**
 * The file system calls the file store makes, narrowed so a test can pass a wrapper that fails or
 * stalls on purpose. `node:fs/promises` satisfies it and is the default.
 */
import * as nodeFs from 'node:fs/promises';

export interface StateFileHandle {
  /** Writes at the end of a file opened for appending (`position` null). May write less than asked. */
  write(buffer: Uint8Array, offset: number, length: number, position: null): Promise<{ bytesWritten: number }>;
  writeFile(data: Uint8Array): Promise<void>;
  sync(): Promise<void>;
  datasync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface StateFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readFile(path: string): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  open(path: string, flags: string | number): Promise<StateFileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true; recursive?: true }): Promise<void>;
}

export const nodeStateFs: StateFs = nodeFs;
