/**
 * The webhook baseline: Express 5 doing only what every GitHub receiver must do, reading the raw
 * body and verifying its signature with @octokit/webhooks (the library runbridge uses), then
 * answering 200. No parsing, matching, rendering or writing.
 *
 *   BENCH_SECRET=... node bench/servers/bare-webhook-server.ts PORT
 */
import express from 'express';
import { Webhooks } from '@octokit/webhooks';

const port = Number(process.argv[2] ?? '0');
const webhooks = new Webhooks({ secret: process.env['BENCH_SECRET'] ?? '' });
const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/webhooks/github', express.raw({ type: () => true, limit: 1024 * 1024 }), async (req, res) => {
  const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
  const signature = req.headers['x-hub-signature-256'];
  const ok = typeof signature === 'string' && (await webhooks.verify(body, signature));
  res.status(ok ? 200 : 401).json({ ok, eventId: req.headers['x-github-delivery'] });
});
const server = app.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening on ${port}\n`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
