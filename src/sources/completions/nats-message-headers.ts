/** A NATS message's headers as a plain map with lower-case names (the first value of each), for decoding. */
import type { MsgHdrs } from '@nats-io/transport-node';

export function natsMessageHeaders(headers: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  for (const [name, values] of headers) {
    const first = values[0];
    if (first !== undefined) out[name.toLowerCase()] = first;
  }
  return out;
}
