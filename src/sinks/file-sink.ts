/**
 * The embedded default sink: each run becomes one YAML file, ready for `kubectl create -f`.
 *
 *   <directory>/<namespace>/<kind lowercased>.<group>/<name>.yaml
 *   runs/ml/run.pipelines.kubeflow.org/penguin-training-1a2b3c4d5e.yaml
 *   runs/ci/run.tekton.dev/build-7f3e9a0c1b.yaml
 *
 * The folder is kind and group, like kubectl's `runs.pipelines.kubeflow.org`, so the two `Run`
 * kinds never share a folder; the version is left out because two versions of one group/kind are
 * the same object in Kubernetes too. Cluster-scoped runs go under `_cluster/` (an underscore is
 * never a namespace). Names are validated as Kubernetes would (DNS-1123), which also rules out
 * `..` and `/` in paths.
 *
 * Idempotent and safe under concurrency: the manifest is written to a temporary file in the
 * target folder, synced, then hard-linked to its final name; link() fails with EEXIST when the
 * name exists, so of two concurrent submits exactly one creates the file and the other gets
 * `created: false`, and no reader ever sees a half-written file. A process stopped between write
 * and link leaves its temporary file behind; removeLeftovers() clears those at a later start.
 *
 * Durable before submit resolves: the content is on stable storage before the link (written through
 * O_SYNC, or fsynced where there is no O_SYNC), and the folder is fsynced after it (so the name
 * survives a power cut, not only the data); runs landing in one folder at the same time share one
 * folder fsync.
 */
import { constants } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { SinkError } from '../errors.ts';
import { nodeFileCalls, type FileCalls } from '../fs/file-calls.ts';
import { createSharedDirectorySync, syncDirectory } from '../fs/sync-directory.ts';
import { manifestYaml } from './manifest-yaml.ts';
import type { RunManifest } from '../runs/run-manifest.ts';
import type { Sink, SubmitOptions } from './sink.ts';
import type { SubmitResult } from '../runs/submitted-run.ts';
import { createTempNames, LEFTOVER_AFTER_MS, removeLeftoverTempFiles, type TempNames } from './file-sink-temp-files.ts';

/** The file system calls the file sink makes (src/fs/file-calls.ts; inject to test failures and order). */
export type FileSinkFs = FileCalls;

export interface FileSinkOptions {
  directory: string;
  fs?: FileSinkFs;
}

export interface FileSink extends Sink {
  /** Resolves once the directory has been created and checked writable, with ready(). */
  start(): Promise<boolean>;
  /** Where a run is (or would be) written. Throws SinkError (422) for an invalid run. */
  pathOf(run: RunManifest): string;
  /**
   * Removes the temporary files an earlier process stopped mid-write left in the directory (never
   * this sink's own, nor one written in the last minute: another process's write in progress);
   * resolves with how many. Meant for start, before runs arrive.
   */
  removeLeftovers(): Promise<number>;
}

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;
const VERSION = /^[a-z0-9]+$/;
const CLUSTER_SCOPE = '_cluster';
/** Failures that may pass by themselves (space freed, device back): retry later. */
const TRANSIENT_FS_CODES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'EINTR']);
/** link() not supported by the filesystem: fall back to an exclusive create. */
const NO_LINK_CODES = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

export function createFileSink(options: FileSinkOptions): FileSink {
  const fs: FileSinkFs = options.fs ?? nodeFileCalls;
  const { directory } = options;
  let isReady = false;
  /** Folders this sink has created (or found): a run in a known folder costs no mkdir. */
  const folders = new Set<string>();
  const tempNames = createTempNames();
  const syncFolder = createSharedDirectorySync((folder) => syncDirectory(fs, folder));

  const check = async (): Promise<boolean> => {
    try {
      await fs.mkdir(directory, { recursive: true });
      await fs.access(directory, constants.W_OK);
      isReady = true;
    } catch {
      isReady = false;
    }
    return isReady;
  };
  // Readiness is checked at once, so a daemon that never calls start() still becomes ready.
  const firstCheck = check();

  const pathOf = (run: RunManifest): string => {
    const [group, version] = run.apiVersion.includes('/') ? run.apiVersion.split('/', 2) : ['', run.apiVersion];
    const namespace = run.metadata.namespace;
    const problems = [
      ...invalid('apiVersion group', group ?? '', DNS1123_SUBDOMAIN, 253, true),
      ...invalid('apiVersion version', version ?? '', VERSION, 63),
      ...invalid('kind', run.kind, KIND, 63),
      ...invalid('metadata.name', run.metadata.name, DNS1123_SUBDOMAIN, 253),
      ...(namespace === undefined ? [] : invalid('metadata.namespace', namespace, DNS1123_LABEL, 63)),
    ];
    if (problems.length > 0) throw new SinkError(`run cannot be written: ${problems.join('; ')}`, { status: 422, retryable: false, details: { problems } });
    const folder = group ? `${run.kind.toLowerCase()}.${group}` : run.kind.toLowerCase();
    return join(directory, namespace ?? CLUSTER_SCOPE, folder, `${run.metadata.name}.yaml`);
  };

  const submit = async (run: RunManifest, submitOptions: SubmitOptions = {}): Promise<SubmitResult> => {
    const file = pathOf(run);
    const dryRun = submitOptions.dryRun ?? false;
    const result = (created: boolean): SubmitResult => ({
      apiVersion: run.apiVersion,
      kind: run.kind,
      namespace: run.metadata.namespace ?? '',
      name: run.metadata.name,
      created,
      dryRun,
      location: file,
    });
    try {
      if (dryRun) return result(!(await exists(fs, file)));
      const created = await writeExclusive(fs, file, Buffer.from(manifestYaml(run)), { folders, tempNames, syncFolder, root: directory });
      isReady = true;
      return result(created);
    } catch (error) {
      void check();
      throw fsError(error, relative(directory, file));
    }
  };

  const removeLeftovers = (): Promise<number> => removeLeftoverTempFiles(directory, tempNames.prefix, Date.now() - LEFTOVER_AFTER_MS);

  return { kind: 'file', submit, pathOf, removeLeftovers, ready: () => isReady, start: () => firstCheck, close: async () => {} };
}

interface WriteContext {
  /** Folders this sink has made (or found); a run in a known folder costs no mkdir. */
  readonly folders: Set<string>;
  readonly tempNames: TempNames;
  readonly syncFolder: (folder: string) => Promise<void>;
  /** The sink's directory (runs are in <root>/<namespace>/<kind>/). */
  readonly root: string;
}

/**
 * Writes `content` to `file` unless it exists: true when this call created it. The folder is made
 * once and remembered; if it has gone since (removed by hand), it is made again. A run this call
 * created is durable when it returns: its content was synced before the link, and its folder
 * (the new name in it) is fsynced after; concurrent runs of one folder share that folder fsync.
 */
async function writeExclusive(fs: FileSinkFs, file: string, content: Uint8Array, context: WriteContext): Promise<boolean> {
  const folder = dirname(file);
  const makeFolder = async (): Promise<void> => {
    await fs.mkdir(folder, { recursive: true });
    // New folders are entries of their parents (root/namespace/kind): make those names durable too.
    for (const parent of [dirname(folder), context.root, dirname(context.root)]) await context.syncFolder(parent);
    context.folders.add(folder);
  };
  if (!context.folders.has(folder)) await makeFolder();
  const temp = join(folder, context.tempNames.next());
  try {
    await writeSynced(fs, temp, content);
  } catch (error) {
    if (codeOf(error) !== 'ENOENT') throw error;
    context.folders.delete(folder);
    await makeFolder();
    await writeSynced(fs, temp, content);
  }
  try {
    await fs.link(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    if (codeOf(error) === 'EEXIST') return false;
    if (!NO_LINK_CODES.has(codeOf(error) ?? '')) throw error;
    try {
      await writeSynced(fs, file, content);
    } catch (fallbackError) {
      if (codeOf(fallbackError) === 'EEXIST') return false;
      throw fallbackError;
    }
    await context.syncFolder(folder);
    return true;
  }
  // Linked: the temporary name is removed while the folder is synced. The sync, begun after the
  // link, is what makes the run's name durable; the temporary name's removal needs no such promise.
  await Promise.all([fs.unlink(temp).catch(() => undefined), context.syncFolder(folder)]);
  return true;
}

/**
 * A new file, created for writing only if absent, whose writes each return once the data is on
 * stable storage (O_SYNC: as a write followed by fsync, in one call). Where the platform has no
 * O_SYNC, the file is fsynced after the write instead.
 */
const CREATE_SYNCED = constants.O_SYNC === undefined ? undefined : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_SYNC;

/** Creates `file` with `content`, durable when it resolves; fails with EEXIST if it exists. */
async function writeSynced(fs: FileSinkFs, file: string, content: Uint8Array): Promise<void> {
  const fd = await fs.open(file, CREATE_SYNCED ?? 'wx');
  try {
    await fs.write(fd, content);
    if (CREATE_SYNCED === undefined) await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
}

async function exists(fs: FileSinkFs, file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch (error) {
    if (codeOf(error) === 'ENOENT') return false;
    throw error;
  }
}

function invalid(field: string, value: string, pattern: RegExp, max: number, emptyAllowed = false): string[] {
  if (value === '' && emptyAllowed) return [];
  if (value.length <= max && pattern.test(value)) return [];
  return [`${field} ${JSON.stringify(value)} must match ${pattern.source} and be at most ${max} characters`];
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The sink's error for a failed write. Its message (which callers may see in an answer) names the
 * run's file relative to the sink directory and the error code only; the file system's own message,
 * with its absolute path, stays in `cause`, for the log.
 */
function fsError(error: unknown, file: string): SinkError {
  if (error instanceof SinkError) return error;
  const code = codeOf(error);
  const retryable = code !== undefined && TRANSIENT_FS_CODES.has(code);
  return new SinkError(`cannot write run ${file}: ${code ?? 'write failed'}`, {
    status: retryable ? 503 : 500,
    retryable,
    cause: error,
    details: { code },
  });
}
