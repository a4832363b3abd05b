/** A raw TCP client for attacks fetch cannot make: a request whose body is never sent, headers sent a byte at a time. */
import { connect, type Socket } from 'node:net';

/** Opens a connection to an `http://host:port` URL, from `localAddress` when given (another loopback address is another client). */
export function openSocket(url: string, localAddress?: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port), ...(localAddress ? { localAddress } : {}) }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `head` (request line and headers, ending with an empty line) and no body; resolves with what the server answers before closing, or within `waitMs`. */
export async function headWithoutBody(url: string, head: string, waitMs = 5000, localAddress?: string): Promise<{ text: string; closed: boolean }> {
  const socket = await openSocket(url, localAddress);
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.write(head);
  const closed = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.on('data', () => {
      if (/\r\n\r\n/.test(text)) {
        clearTimeout(timer);
        resolve(false);
      }
    });
  });
  socket.destroy();
  return { text, closed };
}

/** The status code of a raw HTTP answer, or undefined when there is none. */
export function statusOf(text: string): number | undefined {
  const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
  return match ? Number(match[1]) : undefined;
}
