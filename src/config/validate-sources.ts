/**
 * Settings of the sources and secrets that fail closed: a forge's webhook source without a secret
 * is an error unless signature verification is switched off on purpose (which is warned about). Secret
 * values are resolved at serve time, not here; a `fromEnv` variable that is not set where the
 * configuration is validated is only a warning.
 */
import { configuredForges, FORGE_NAMES } from './forge-sections.ts';
import type { Config, SecretSource } from './schema.ts';
import type { Report } from './report.ts';
import { compileGlobList } from '../triggers/glob-list.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export function validateSources(config: Config, env: Env, report: Report): void {
  const forges = configuredForges(config);
  for (const [name, forge] of forges) {
    if (forge.insecureSkipSignatureVerification) {
      report.warning(
        `${name}.insecureSkipSignatureVerification`,
        `webhook signatures are not verified: anyone who can reach ${forge.path} can start runs${forge.secrets.length ? ' (the configured secrets are ignored)' : ''}; local experiments only`,
      );
    } else if (forge.secrets.length === 0) {
      report.error(
        `${name}.secrets`,
        'at least one secret is required (fail closed); add {fromEnv: VARIABLE} or {fromFile: PATH}, or for local experiments only set insecureSkipSignatureVerification: true',
      );
    }
  }
  for (const [name, forge] of forges) {
    forge.secrets.forEach((entry, index) => {
      if (!('repositories' in entry)) return;
      for (const issue of compileGlobList(entry.repositories, `${name}.secrets[${index}].repositories`, { nocase: true }).issues) report.error(issue.path, issue.message);
    });
  }
  for (const [path, source] of secretSources(config)) {
    if ('fromEnv' in source && env[source.fromEnv] === undefined) {
      report.warning(`${path}.fromEnv`, `environment variable ${source.fromEnv} is not set here; it must be when runbridge serves`);
    }
  }
  config.runConfigurations.forEach((rc, index) => {
    rc.completionSources.forEach((source, s) => {
      if (config.completions?.[source] === undefined) {
        report.warning(`runConfigurations[${index}].completionSources[${s}]`, `completions.${source} is not configured, so no completion comes from it`);
      }
    });
    const path = `runConfigurations[${index}].triggers`;
    if (rc.triggers.git.length > 0 && forges.length === 0) {
      report.warning(`${path}.git`, `no webhook source is configured (${FORGE_NAMES.map((n) => `${n}:`).join(', ')}), so these git triggers never fire`);
    }
  });
}

function secretSources(config: Config): [string, SecretSource][] {
  const sources: [string, SecretSource | undefined][] = [
    ...configuredForges(config).flatMap(([name, forge]) =>
      forge.secrets.flatMap((s, i): [string, SecretSource][] =>
        'repositories' in s ? s.secrets.map((inner, j): [string, SecretSource] => [`${name}.secrets[${i}].secrets[${j}]`, inner]) : [[`${name}.secrets[${i}]`, s]],
      ),
    ),
    ['api.token', config.api?.token],
    ['nats.token', config.nats?.token],
    ['nats.password', config.nats?.password],
    ['nats.nkeySeed', config.nats?.nkeySeed],
  ];
  return sources.filter((entry): entry is [string, SecretSource] => entry[1] !== undefined);
}
