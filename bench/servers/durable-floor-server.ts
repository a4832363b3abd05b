/**
 * The least a webhook receiver can do and still answer only after the delivery is durable: Express 5
 * reading the raw body and verifying its signature with @octokit/webhooks (as the bare baseline),
 * then parsing the JSON and creating one small file named by the delivery id (written and fsynced
 * under a temporary name, linked to its own, the folder fsynced), then answering 200. No matching,
 * rendering, state store, logging or metrics: a floor for any receiver with runbridge's contract
 * (never a 2xx for an event that could still be lost), not a product.
 *
 *   BENCH_SECRET=... node bench/servers/durable-floor-server.ts PORT DIRECTORY
 */
import express from 'express';
import { Webhooks } from '@octokit/webhooks';
import { nodeFileCalls as fs } from '../../src/fs/file-calls.ts';
import { join } from 'node:path';

const port = Number(process.argv[2] ?? '0');
const directory = process.argv[3] ?? '.';
const webhooks = new Webhooks({ secret: process.env['BENCH_SECRET'] ?? '' });
const app = express();
app.disable('x-powered-by');
let sequence = 0;

async function writeDurably(name: string, content: string): Promise<boolean> {
  const temp = join(directory, `.${sequence++}.tmp`);
  const fd = await fs.open(temp, 'wx');
  try {
    await fs.write(fd, Buffer.from(content));
    await fs.fsync(fd);
  } finally {
    await fs.close(fd);
  }
  let created = true;
  try {
    await fs.link(temp, join(directory, name));
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    created = false;
  } finally {
    await fs.unlink(temp);
  }
  const folder = await fs.open(directory, 'r');
  try {
    await fs.fsync(folder);
  } finally {
    await fs.close(folder);
  }
  return created;
}

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
  const created = await writeDurably(`${delivery.replace(/[^A-Za-z0-9-]/g, '_')}.yaml`, `commit: "${payload.after}"\nref: "${payload.ref}"\n`);
  res.status(200).json({ ok: true, eventId: delivery, created });
});
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
