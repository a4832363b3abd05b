// A webhook receiver for tests of what a forge sends: an HTTP server on 127.0.0.1, port 0,
// that answers 200 and keeps every delivery (headers as sent, raw body) in arrival order.
//
//   const receiver = await startWebhookReceiver();
//   ... make the forge deliver to receiver.url ...
//   const push = await receiver.waitFor((d) => d.header('x-gitea-event') === 'push');
//   await receiver.close();
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  /** Header names as the sender spelled them, in the order sent. */
  readonly rawHeaders: ReadonlyArray<readonly [name: string, value: string]>;
  readonly body: Buffer;
  readonly method: string;
  readonly path: string;
  /** A header's value by name, any case; undefined when absent. */
  header(name: string): string | undefined;
  /** The body parsed as JSON. */
  json(): unknown;
}

export interface WebhookReceiver {
  /** http://127.0.0.1:PORT/hook */
  readonly url: string;
  readonly deliveries: readonly ReceivedDelivery[];
  /** The first delivery (received already or to come) that matches; rejects after timeoutMs (default 30 s). */
  waitFor(match: (delivery: ReceivedDelivery) => boolean, timeoutMs?: number): Promise<ReceivedDelivery>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawHeaders: Array<[string, string]> = [];
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      const body = Buffer.concat(chunks);
      deliveries.push({
        rawHeaders,
        body,
        method: req.method ?? '',
        path: req.url ?? '',
        header: (name) => rawHeaders.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1],
        json: () => JSON.parse(body.toString('utf8')) as unknown,
      });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      for (const wake of waiters) wake();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    waitFor: (match, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = deliveries.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          const seen = deliveries.map((d) => `${d.method} ${d.path} ${d.rawHeaders.filter(([n]) => /event|delivery/i.test(n)).map(([n, v]) => `${n}=${v}`).join(' ')}`);
          reject(new Error(`no matching delivery within ${timeoutMs / 1000}s; received ${deliveries.length}:\n${seen.join('\n')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      }),
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
