/**
 * `completions.http.auth` loaded: every token and HMAC secret read like every secret (a missing or
 * unusable one fails the start with its field path), each at least 32 characters. Without any,
 * the start fails (the check at load says so first) unless insecureNoAuthentication is set, which
 * is warned about at start.
 */
import type { Logger } from 'pino';
import type { CompletionsConfig } from '../../config/schema.ts';
import { ConfigError, type ConfigIssue } from '../../errors.ts';
import { loadToken } from '../../secrets/load-token.ts';
import type { SecretEnv } from '../../secrets/resolve-secret.ts';
import { failedAttempts } from '../manual/failed-attempts.ts';
import { completionCredentials, type CompletionCredentials } from './completion-credentials.ts';

type HttpAuth = NonNullable<CompletionsConfig['http']>['auth'];

export function loadCompletionCredentials(auth: HttpAuth, options: { env: SecretEnv; baseDir: string; logger: Logger; clock?: (() => Date) | undefined }): CompletionCredentials {
  const issues: ConfigIssue[] = [];
  const load = (list: HttpAuth['tokens'], at: string, what: string): string[] =>
    list.flatMap((source, index) => {
      try {
        const loaded = loadToken(source, `${at}[${index}]`, what, { env: options.env, baseDir: options.baseDir });
        for (const warning of loaded.warnings) options.logger.warn({ path: warning.path }, warning.message);
        return [loaded.value];
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues.push(...error.issues);
        return [];
      }
    });
  const tokens = load(auth.tokens, 'completions.http.auth.tokens', 'this completion token');
  const hmacSecrets = load(auth.hmacSecrets, 'completions.http.auth.hmacSecrets', 'this completion HMAC secret');
  if (issues.length > 0) throw new ConfigError(issues);
  const insecure = auth.insecureNoAuthentication;
  if (tokens.length + hmacSecrets.length === 0 && !insecure) {
    throw new ConfigError([{ path: 'completions.http.auth', message: 'no tokens or hmacSecrets: refusing to accept unauthenticated completions (insecureNoAuthentication: true for local experiments only)' }]);
  }
  if (insecure) options.logger.warn({ path: 'completions.http.auth.insecureNoAuthentication' }, 'the HTTP completion endpoint accepts completions WITHOUT authentication: anyone who reaches the internal port chooses what downstream runs consume');
  const clock = options.clock;
  const attempts = failedAttempts({ maxFailures: 10, windowMs: 60_000, ...(clock ? { clock: () => clock().getTime() } : {}) });
  return completionCredentials({ tokens, hmacSecrets, insecure, attempts });
}
