/**
 * Whether a NATS server address (`nats://host:4222`, `tls://host`, `host:4222`) points at this
 * machine only, and whether it carries credentials itself (`nats://user:pass@host`).
 */
export interface ServerAddress {
  readonly loopback: boolean;
  readonly credentials: boolean;
}

export function serverAddress(server: string): ServerAddress {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(server) ? server : `nats://${server}`);
  } catch {
    return { loopback: false, credentials: false };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const loopback = host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
  return { loopback, credentials: url.username !== '' || url.password !== '' };
}
