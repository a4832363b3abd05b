/**
 * The file system calls the file store makes, narrowed so a test can pass a wrapper that fails or
 * stalls on purpose. `node:fs/promises` satisfies it and is the default.
 */
import * as nodeFs from 'node:fs/promises';

export interface StateFileHandle {
  writeFile(data: string, encoding: 'utf8'): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface StateFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  readdir(path: string): Promise<string[]>;
  open(path: string, flags: string): Promise<StateFileHandle>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export const nodeStateFs: StateFs = nodeFs;
