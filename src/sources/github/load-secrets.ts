import type { SecretSource } from '../../config/schema.ts';
import { ConfigError, type ConfigIssue } from '../../errors.ts';

export type ReadSecretFile = (path: string) => string;

/**
 * Resolves the webhook secrets named in `github.secrets` to their values. Reports every missing or
 * empty one at once, by field path (`github.secrets[1].fromFile: …`). A file's trailing newline is
 * not part of the secret (`echo s3cret > file` must work).
 */
export function loadSecrets(
  sources: readonly SecretSource[],
  env: Readonly<Record<string, string | undefined>>,
  readFile: ReadSecretFile,
  basePath = 'github.secrets',
): string[] {
  const issues: ConfigIssue[] = [];
  const secrets: string[] = [];
  sources.forEach((source, index) => {
    if ('fromEnv' in source) {
      const path = `${basePath}[${index}].fromEnv`;
      const value = env[source.fromEnv];
      if (value === undefined) issues.push({ path, message: `environment variable ${source.fromEnv} is not set` });
      else if (value === '') issues.push({ path, message: `environment variable ${source.fromEnv} is empty` });
      else secrets.push(value);
      return;
    }
    const path = `${basePath}[${index}].fromFile`;
    let value: string;
    try {
      value = readFile(source.fromFile).replace(/\r?\n$/, '');
    } catch (err) {
      const reason = err instanceof Error && 'code' in err ? String(err.code) : 'unreadable';
      issues.push({ path, message: `cannot read secret file ${source.fromFile} (${reason})` });
      return;
    }
    if (value === '') issues.push({ path, message: `secret file ${source.fromFile} is empty` });
    else secrets.push(value);
  });
  if (issues.length > 0) throw new ConfigError(issues);
  return secrets;
}
