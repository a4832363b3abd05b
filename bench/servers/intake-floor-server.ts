/**
 * The least a webhook receiver with a durable intake can do: Express 5 reading the raw body and
 * verifying its signature with @octokit/webhooks (as the bare baseline), parsing the JSON, then
 * appending one line per delivery to a log opened for appending with O_DSYNC (as the state
 * journal is), the deliveries that arrive while a write is under way going together in the next
 * one (group commit), and answering 200 once its line is on disk. No matching, rendering, state
 * store, logging or metrics: a floor for any receiver that stores before it answers, not a product.
 *
 *   BENCH_SECRET=... node bench/servers/intake-floor-server.ts PORT DIRECTORY
 */
import express from 'express';
import { Webhooks } from '@octokit/webhooks';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

const port = Number(process.argv[2] ?? '0');
const directory = process.argv[3] ?? '.';
const webhooks = new Webhooks({ secret: process.env['BENCH_SECRET'] ?? '' });
const DSYNC = constants.O_DSYNC ?? 0;
const log = await open(join(directory, 'intake.log'), constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | DSYNC);

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
  const payload = JSON.parse(body) as unknown;
  await append(`${JSON.stringify({ id: `github:${delivery}`, state: 'pending', event: payload })}\n`);
  res.status(202).json({ ok: true, eventId: delivery });
});
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
