/**
 * The least a webhook receiver with a durable intake can do: Express 5 reading the raw body and
 * verifying its signature with @octokit/webhooks (as the bare baseline), parsing the JSON, then
 * appending one line per delivery to a log opened for appending with O_DSYNC (as the state
 * journal is), the deliveries that arrive while a write is under way going together in the next
 * one (group commit), and answering 200 once its line is on disk. No matching, rendering, state
 * store, logging or metrics: a floor for any receiver that stores before it answers, not a product.
 *
 * With `run`, the run floor: after its line is on disk, each delivery also gets one run file,
 * created durably before the answer — a ~1 kB manifest made by string concatenation, the file
 * created exclusively with O_SYNC (its content durable when the write returns), then its folder
 * fsynced so its name is too (deliveries that arrive during a folder sync share the next one).
 * No temporary name, no link, no submission record: the least any receiver that answers once
 * each delivery's run is written to disk must do.
 *
 *   BENCH_SECRET=... node bench/servers/intake-floor-server.ts PORT DIRECTORY [run]
 */
import express from 'express';
import { Webhooks } from '@octokit/webhooks';
import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';

const port = Number(process.argv[2] ?? '0');
const directory = process.argv[3] ?? '.';
const withRun = process.argv[4] === 'run';
const webhooks = new Webhooks({ secret: process.env['BENCH_SECRET'] ?? '' });
const DSYNC = constants.O_DSYNC ?? 0;
const log = await open(join(directory, 'intake.log'), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC);
const runs = join(directory, 'runs');
await mkdir(runs, { recursive: true });

/** Lines waiting for the next write, with who waits for them. */
let queued: { lines: string[]; done: (() => void)[] } = { lines: [], done: [] };
let writing = false;

async function flush(): Promise<void> {
  writing = true;
  while (queued.lines.length > 0) {
    const batch = queued;
    queued = { lines: [], done: [] };
    await log.write(batch.lines.join(''));
    if (DSYNC === 0) await log.datasync();
    for (const done of batch.done) done();
  }
  writing = false;
}

function append(line: string): Promise<void> {
  return new Promise((resolve) => {
    queued.lines.push(line);
    queued.done.push(resolve);
    if (!writing) void flush();
  });
}

/** Folder syncs: one at a time; whoever asks during one waits for the next, which covers them all. */
let folderSync: Promise<void> | undefined;
let nextFolderSync: Promise<void> | undefined;

async function syncRunsFolder(): Promise<void> {
  const folder = await open(runs, constants.O_RDONLY);
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

function syncedFolder(): Promise<void> {
  if (!folderSync) {
    folderSync = syncRunsFolder().finally(() => (folderSync = undefined));
    return folderSync;
  }
  nextFolderSync ??= folderSync.then(() => {
    nextFolderSync = undefined;
    return syncedFolder();
  });
  return nextFolderSync;
}

async function writeRun(delivery: string, payload: { after?: string; ref?: string }): Promise<void> {
  const name = `run-${delivery.replace(/[^a-z0-9-]/gi, '').toLowerCase()}`;
  const manifest = [
    'apiVersion: pipelines.kubeflow.org/v1beta1',
    'kind: Run',
    'metadata:',
    `  name: ${name}`,
    '  namespace: default',
    'spec:',
    '  provider: kfp-operator/vertex-ai',
    '  pipeline: penguin-pipeline',
    '  experimentName: bench',
    '  runtimeParameters:',
    `  - {name: commit, value: ${JSON.stringify(String(payload.after ?? ''))}}`,
    `  - {name: branch, value: ${JSON.stringify(String(payload.ref ?? ''))}}`,
    '',
  ].join('\n');
  const file = await open(join(runs, `${name}.yaml`), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_SYNC ?? 0));
  try {
    await file.write(manifest);
    if (constants.O_SYNC === undefined) await file.sync();
  } finally {
    await file.close();
  }
  await syncedFolder();
}

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/webhooks/github', express.raw({ type: () => true, limit: 1024 * 1024 }), async (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const signature = req.headers['x-hub-signature-256'];
  const delivery = String(req.headers['x-github-delivery'] ?? '');
  if (typeof signature !== 'string' || !(await webhooks.verify(body, signature))) {
    res.status(401).json({ ok: false, eventId: delivery });
    return;
  }
  const payload = JSON.parse(body) as { after?: string; ref?: string };
  await append(`${JSON.stringify({ id: `github:${delivery}`, state: 'pending', event: payload })}\n`);
  if (withRun) await writeRun(delivery, payload);
  res.status(withRun ? 200 : 202).json({ ok: true, eventId: delivery });
});
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
