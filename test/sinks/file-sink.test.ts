import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir, utimes } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants } from 'node:fs';
import { after, describe, test } from 'node:test';
import { parse } from 'yaml';
import { SinkError } from '../../src/errors.ts';
import { nodeFileCalls } from '../../src/fs/file-calls.ts';
import { createFileSink, type FileSinkFs } from '../../src/sinks/file-sink.ts';
import type { RunManifest } from '../../src/runs/run-manifest.ts';
import { createSink } from '../../src/sinks/create-sink.ts';
import { createLogger } from '../../src/observability/create-logger.ts';

const root = await mkdtemp(join(tmpdir(), 'runbridge-file-sink-'));
after(() => rm(root, { recursive: true, force: true }));
let count = 0;
const freshDirectory = (): string => join(root, `runs-${++count}`);

function kfpRun(name = 'penguin-training-1a2b3c4d5e', namespace = 'ml'): RunManifest {
  return {
    apiVersion: 'pipelines.kubeflow.org/v1beta1',
    kind: 'Run',
    metadata: { name, namespace, annotations: { 'runbridge.dev/event-id': 'delivery-1' } },
    spec: { provider: 'kfp/vertex', pipeline: 'penguin:1', parameters: [{ name: 'sha', value: 'abc1234' }] },
  };
}

function tektonRun(name = 'penguin-training-1a2b3c4d5e', namespace = 'ml'): RunManifest {
  return {
    apiVersion: 'tekton.dev/v1alpha1',
    kind: 'Run',
    metadata: { name, namespace },
    spec: { ref: { apiVersion: 'example.dev/v1', kind: 'Example' } },
  };
}

/** Every file under `directory`, relative, sorted. */
async function files(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(directory.length + 1))
    .sort();
}

describe('file sink: layout', () => {
  test('writes one YAML file at <namespace>/<kind>.<group>/<name>.yaml with the manifest', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory });
    const run = kfpRun();
    const result = await sink.submit(run);
    const expected = join(directory, 'ml', 'run.pipelines.kubeflow.org', 'penguin-training-1a2b3c4d5e.yaml');
    assert.deepEqual(result, {
      apiVersion: 'pipelines.kubeflow.org/v1beta1',
      kind: 'Run',
      namespace: 'ml',
      name: 'penguin-training-1a2b3c4d5e',
      created: true,
      dryRun: false,
      location: expected,
    });
    assert.deepEqual(parse(await readFile(expected, 'utf8')), run);
    assert.deepEqual(await files(directory), ['ml/run.pipelines.kubeflow.org/penguin-training-1a2b3c4d5e.yaml']);
  });

  test('the two Run kinds of the same name land in different files', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory });
    const kfp = await sink.submit(kfpRun());
    const tekton = await sink.submit(tektonRun());
    assert.equal(kfp.created, true);
    assert.equal(tekton.created, true);
    assert.notEqual(kfp.location, tekton.location);
    assert.deepEqual(await files(directory), [
      'ml/run.pipelines.kubeflow.org/penguin-training-1a2b3c4d5e.yaml',
      'ml/run.tekton.dev/penguin-training-1a2b3c4d5e.yaml',
    ]);
  });

  test('paths are deterministic: the same run maps to the same path from any sink on that directory', () => {
    const directory = freshDirectory();
    assert.equal(createFileSink({ directory }).pathOf(kfpRun()), createFileSink({ directory }).pathOf(kfpRun()));
    assert.equal(createFileSink({ directory }).pathOf({ ...kfpRun(), apiVersion: 'pipelines.kubeflow.org/v1alpha6' }), createFileSink({ directory }).pathOf(kfpRun()));
  });

  test('cluster-scoped runs (no namespace) go under _cluster', () => {
    const directory = freshDirectory();
    const run = kfpRun();
    delete run.metadata.namespace;
    assert.equal(createFileSink({ directory }).pathOf(run), join(directory, '_cluster', 'run.pipelines.kubeflow.org', 'penguin-training-1a2b3c4d5e.yaml'));
  });

  const invalidRuns: Array<[string, RunManifest, RegExp]> = [
    ['a name with a slash', kfpRun('../../etc/passwd'), /metadata\.name/],
    ['a name with upper case', kfpRun('Penguin'), /metadata\.name/],
    ['a name of 254 characters', kfpRun('a'.repeat(254)), /metadata\.name/],
    ['a namespace with dots', kfpRun('ok', 'a.b'), /metadata\.namespace/],
    ['a namespace that is ..', kfpRun('ok', '..'), /metadata\.namespace/],
    ['a kind with a slash', { ...kfpRun(), kind: 'Run/../x' }, /kind/],
    ['a group with a slash part', { ...kfpRun(), apiVersion: '../x/v1' }, /group|version/],
  ];
  for (const [label, run, field] of invalidRuns) {
    test(`rejects ${label} with a 422 naming the field, writing nothing`, async () => {
      const directory = freshDirectory();
      const sink = createFileSink({ directory });
      await sink.start();
      await assert.rejects(sink.submit(run), (error: unknown) => {
        assert.ok(error instanceof SinkError);
        assert.equal(error.status, 422);
        assert.equal(error.retryable, false);
        assert.match(error.message, field);
        return true;
      });
      assert.deepEqual(await files(directory), []);
    });
  }
});

describe('file sink: idempotence', () => {
  test('the same run twice: one file, created true then false with the same location', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory });
    const first = await sink.submit(kfpRun());
    const second = await sink.submit({ ...kfpRun(), spec: { provider: 'changed' } });
    assert.equal(first.created, true);
    assert.equal(second.created, false);
    assert.equal(second.location, first.location);
    assert.equal(parse(await readFile(first.location, 'utf8')).spec.provider, 'kfp/vertex', 'the existing file is left alone');
  });

  test('concurrent submits of one name from two sinks: exactly one file, exactly one created', async () => {
    const directory = freshDirectory();
    const sinks = [createFileSink({ directory }), createFileSink({ directory })];
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sinks[i % 2]!.submit(kfpRun())));
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.ok(results.every((r) => r.location === results[0]!.location));
    assert.deepEqual(await files(directory), ['ml/run.pipelines.kubeflow.org/penguin-training-1a2b3c4d5e.yaml']);
  });

  test('a file left by someone else under that name counts as existing', async () => {
    const directory = freshDirectory();
    await mkdir(join(directory, 'ml', 'run.pipelines.kubeflow.org'), { recursive: true });
    await writeFile(join(directory, 'ml', 'run.pipelines.kubeflow.org', 'penguin-training-1a2b3c4d5e.yaml'), 'hand: written\n');
    const result = await createFileSink({ directory }).submit(kfpRun());
    assert.equal(result.created, false);
    assert.equal(await readFile(result.location, 'utf8'), 'hand: written\n');
  });
});

describe('file sink: dry run', () => {
  test('writes no file and says what would happen', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory: join(directory, 'never') });
    const result = await sink.submit(kfpRun(), { dryRun: true });
    assert.equal(result.dryRun, true);
    assert.equal(result.created, true);
    assert.equal(result.location, join(directory, 'never', 'ml', 'run.pipelines.kubeflow.org', 'penguin-training-1a2b3c4d5e.yaml'));
    await sink.start();
    assert.deepEqual(await files(join(directory, 'never')), []);
  });

  test('reports created: false when the run already exists', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory });
    await sink.submit(kfpRun());
    const result = await sink.submit(kfpRun(), { dryRun: true });
    assert.deepEqual([result.created, result.dryRun], [false, true]);
  });

  test('still validates the run', async () => {
    const sink = createFileSink({ directory: freshDirectory() });
    await assert.rejects(sink.submit(kfpRun('Bad Name'), { dryRun: true }), { name: 'SinkError', status: 422 });
  });
});

describe('file sink: failures and readiness', () => {
  /** The real filesystem with one operation replaced. */
  const failing = (operation: 'open' | 'link', code: string): FileSinkFs => ({
    ...nodeFileCalls,
    [operation]: async () => Promise.reject(Object.assign(new Error(`${code}: simulated`), { code })),
  });

  const cases: Array<[string, 'open' | 'link', number, boolean]> = [
    ['ENOSPC', 'open', 503, true],
    ['EIO', 'link', 503, true],
    ['EDQUOT', 'open', 503, true],
    ['EACCES', 'open', 500, false],
    ['EROFS', 'link', 500, false],
  ];
  for (const [code, operation, status, retryable] of cases) {
    test(`${code} from ${operation} is a SinkError ${status}${retryable ? ', retryable' : ''}, and leaves no temporary file`, async () => {
      const directory = freshDirectory();
      const sink = createFileSink({ directory, fs: failing(operation, code) });
      await assert.rejects(sink.submit(kfpRun()), (error: unknown) => {
        assert.ok(error instanceof SinkError);
        assert.equal(error.status, status);
        assert.equal(error.retryable, retryable);
        assert.match(error.message, new RegExp(code));
        return true;
      });
      assert.deepEqual(await files(directory), []);
    });
  }

  test('a filesystem without hard links falls back to an exclusive create', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory, fs: failing('link', 'EPERM') });
    const [a, b] = await Promise.all([sink.submit(kfpRun()), sink.submit(kfpRun())]);
    assert.deepEqual([a.created, b.created].sort(), [false, true]);
    assert.deepEqual(await files(directory), ['ml/run.pipelines.kubeflow.org/penguin-training-1a2b3c4d5e.yaml']);
  });

  test('ready once the directory exists and is writable; creates it', async () => {
    const directory = freshDirectory();
    const sink = createFileSink({ directory });
    assert.equal(await sink.start(), true);
    assert.equal(sink.ready(), true);
    assert.deepEqual(await readdir(directory), []);
  });

  test('not ready when the directory cannot be created', async () => {
    const blocker = join(freshDirectory(), 'a-file');
    await mkdir(join(blocker, '..'), { recursive: true });
    await writeFile(blocker, 'not a directory');
    const sink = createFileSink({ directory: join(blocker, 'runs') });
    assert.equal(await sink.start(), false);
    assert.equal(sink.ready(), false);
    await assert.rejects(sink.submit(kfpRun()), { name: 'SinkError', status: 500 });
  });
});

describe('file sink: durability', () => {
  /** The real filesystem, with every call logged in order: a folder sync at its open and when it finished. */
  function recording(): { fs: FileSinkFs; log: string[] } {
    const log: string[] = [];
    /** What each open descriptor is: its path, whether it was opened as a folder, whether its writes are synced (O_SYNC). */
    const opened = new Map<number, { path: string; folder: boolean; syncedWrites: boolean }>();
    const fs: FileSinkFs = {
      ...nodeFileCalls,
      mkdir: async (path, options) => {
        await nodeFileCalls.mkdir(path, options);
        log.push(`mkdir ${path}`);
      },
      open: async (path, flags) => {
        if (flags === 'r') log.push(`open-folder ${path}`);
        const fd = await nodeFileCalls.open(path, flags);
        opened.set(fd, { path, folder: flags === 'r', syncedWrites: typeof flags === 'number' && (flags & constants.O_SYNC) === constants.O_SYNC });
        return fd;
      },
      write: async (fd, data) => {
        await nodeFileCalls.write(fd, data);
        const { path, syncedWrites } = opened.get(fd)!;
        log.push(`write ${path}`);
        if (syncedWrites) log.push(`sync-file ${path}`);
      },
      fsync: async (fd) => {
        await nodeFileCalls.fsync(fd);
        const { path, folder } = opened.get(fd)!;
        log.push(`${folder ? 'sync-folder' : 'sync-file'} ${path}`);
      },
      close: async (fd) => {
        opened.delete(fd);
        await nodeFileCalls.close(fd);
      },
      link: async (from, to) => {
        await nodeFileCalls.link(from, to);
        log.push(`link ${to}`);
      },
    };
    return { fs, log };
  }

  test("a created run's name is made durable: its folder is fsynced after the link, before submit resolves", async () => {
    const directory = freshDirectory();
    const { fs, log } = recording();
    const sink = createFileSink({ directory, fs });
    await sink.start();
    const run = await sink.submit(kfpRun());
    const folder = join(directory, 'ml', 'run.pipelines.kubeflow.org');
    const linked = log.indexOf(`link ${run.location}`);
    const temp = log.find((line) => line.startsWith('write '))!.slice('write '.length);
    assert.notEqual(temp, run.location, 'written under a temporary name');
    const synced = log.indexOf(`sync-file ${temp}`);
    assert.ok(synced > log.indexOf(`write ${temp}`) && linked > synced, `content synced before the link:\n${log.join('\n')}`);
    const began = log.indexOf(`open-folder ${folder}`, linked);
    assert.ok(began > linked && log.indexOf(`sync-folder ${folder}`, began) > began, `folder synced after the link:\n${log.join('\n')}`);
    // The new folders are entries of the namespace folder and the root: those are synced as well.
    for (const parent of [join(directory, 'ml'), directory]) assert.ok(log.includes(`sync-folder ${parent}`), `${parent} synced`);
  });

  test('concurrent runs in one folder share folder fsyncs, each resolving after one that began after its link', async () => {
    const directory = freshDirectory();
    const { fs, log } = recording();
    const sink = createFileSink({ directory, fs });
    await sink.submit(kfpRun('warm-up'));
    const folder = join(directory, 'ml', 'run.pipelines.kubeflow.org');
    const before = log.length;
    const names = Array.from({ length: 24 }, (_, i) => `penguin-${i}`);
    const resolvedAt = new Map<string, number>();
    await Promise.all(
      names.map(async (name) => {
        const run = await sink.submit(kfpRun(name));
        assert.equal(run.created, true);
        resolvedAt.set(name, log.length);
      }),
    );
    const folderSyncs = log.slice(before).filter((line) => line === `sync-folder ${folder}`).length;
    assert.ok(folderSyncs >= 1 && folderSyncs < names.length, `${folderSyncs} folder syncs for ${names.length} runs`);
    // Syncs of one folder run one at a time, so the k-th open of the folder is the k-th sync to finish.
    const opens = log.flatMap((line, i) => (line === `open-folder ${folder}` ? [i] : []));
    const finishes = log.flatMap((line, i) => (line === `sync-folder ${folder}` ? [i] : []));
    for (const name of names) {
      const linked = log.indexOf(`link ${join(folder, `${name}.yaml`)}`);
      const k = opens.findIndex((i) => i > linked);
      assert.ok(linked >= 0 && k >= 0, `${name}: no folder sync began after its link`);
      assert.ok(finishes[k]! < resolvedAt.get(name)!, `${name}: linked at ${linked}, sync began at ${opens[k]}, finished at ${finishes[k]}, resolved at ${resolvedAt.get(name)}`);
    }
  });
});

describe('file sink: temporary files a crash left', () => {
  /** A sink that dies between writing a run's temporary file and linking it: link never returns. */
  function crashingBeforeLink(): FileSinkFs {
    return { ...nodeFileCalls, link: () => new Promise<void>(() => undefined) };
  }

  test('are removed at start and counted in a log line; runs and other files stay', async () => {
    const directory = freshDirectory();
    const crashed = createFileSink({ directory, fs: crashingBeforeLink() });
    void crashed.submit(kfpRun('left-behind-1'));
    void crashed.submit(tektonRun('left-behind-2', 'ci'));
    await createFileSink({ directory }).submit(kfpRun('kept'));
    // An empty one too: a crash between open and write.
    await writeFile(join(directory, 'ml', 'run.pipelines.kubeflow.org', '.0123456789ab-0.tmp'), '');
    await writeFile(join(directory, 'ml', 'run.pipelines.kubeflow.org', '.notes.tmp.yaml'), 'mine');
    for (let i = 0; (await files(directory)).length < 5; i++) {
      if (i > 200) throw new Error(`the crashed sink wrote no temporary files: ${(await files(directory)).join(', ')}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    // Left long enough ago that no write can still be in progress.
    const longAgo = new Date(Date.now() - 2 * 60_000);
    for (const file of await files(directory)) await utimes(join(directory, file), longAgo, longAgo);
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } });
    await createSink({ type: 'file', directory }, { baseDir: root, logger });
    assert.deepEqual(await files(directory), [
      'ml/run.pipelines.kubeflow.org/.notes.tmp.yaml',
      'ml/run.pipelines.kubeflow.org/kept.yaml',
    ]);
    const line = lines.find((l) => l['msg'] === 'removed temporary files left by an earlier stop');
    assert.equal(line?.['removed'], 3, JSON.stringify(lines));
    assert.equal(line['directory'], directory);
  });

  test("another process's write in progress is not taken for a leftover", async () => {
    // Replicas sharing one run directory: one writes a run while another starts.
    const directory = freshDirectory();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let linking: () => void = () => undefined;
    const atLink = new Promise<void>((resolve) => (linking = resolve));
    const writing = createFileSink({ directory, fs: { ...nodeFileCalls, link: async (from, to) => (linking(), await released, nodeFileCalls.link(from, to)) } });
    const submitted = writing.submit(kfpRun('in-progress'));
    await atLink;
    await createSink({ type: 'file', directory }, { baseDir: root, logger: createLogger({ level: 'silent' }) });
    release();
    assert.equal((await submitted).created, true);
    assert.deepEqual(await files(directory), ['ml/run.pipelines.kubeflow.org/in-progress.yaml']);
  });

  test('a start with none logs nothing about them', async () => {
    const directory = freshDirectory();
    await createFileSink({ directory }).submit(kfpRun());
    const lines: string[] = [];
    await createSink({ type: 'file', directory }, { baseDir: root, logger: createLogger({ level: 'info', destination: { write: (line: string) => void lines.push(line) } }) });
    assert.deepEqual(lines, []);
  });
});
