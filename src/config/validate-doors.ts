/**
 * The doors of docs/security.md, checked at load: the two listeners on two ports, and the HTTP
 * completion endpoint closed unless it names who may use it (fail closed; the insecure opt-out is
 * an explicit flag, warned about).
 */
import type { Config } from './schema.ts';
import type { Report } from './report.ts';

export function validateDoors(config: Config, report: Report): void {
  const { server } = config;
  if (server.port !== 0 && server.port === server.internalPort) {
    report.error('server.internalPort', `the internal listener (/status, /metrics, completions, API) needs its own port; ${server.port} is server.port, the public webhook listener`);
  }
  if (server.limits.headersTimeoutSeconds > server.limits.requestTimeoutSeconds) {
    report.error('server.limits.headersTimeoutSeconds', 'must not be longer than server.limits.requestTimeoutSeconds (the whole request, headers included)');
  }
  if (config.status.defaultPageSize > config.status.maxPageSize) {
    report.error('status.defaultPageSize', `must not be larger than status.maxPageSize (${config.status.maxPageSize})`);
  }
  const auth = config.completions?.http?.auth;
  if (auth === undefined) return;
  const configured = auth.tokens.length + auth.hmacSecrets.length > 0;
  if (!configured && !auth.insecureNoAuthentication) {
    report.error(
      'completions.http.auth',
      'the HTTP completion endpoint chooses what downstream runs consume: list tokens or hmacSecrets (or set insecureNoAuthentication: true for local experiments only)',
    );
  }
  if (auth.insecureNoAuthentication) {
    if (configured) report.error('completions.http.auth.insecureNoAuthentication', 'cannot be set together with tokens or hmacSecrets');
    else report.warning('completions.http.auth.insecureNoAuthentication', 'completions are accepted WITHOUT authentication: anyone who reaches the internal port chooses what downstream runs consume');
  }
}
