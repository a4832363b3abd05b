/** Helpers for configuration tests: load YAML text (or an object) against the fixture templates. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadConfigText, type LoadTextOptions } from '../../src/config/load.ts';
import type { LoadedConfig } from '../../src/config/loaded-config.ts';
import { ConfigError, type ConfigIssue } from '../../src/errors.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const NOW = new Date('2026-01-15T12:00:00Z');

export function loadInline(source: string | object, options: Partial<LoadTextOptions> = {}): Promise<LoadedConfig> {
  const text = typeof source === 'string' ? source : stringify(source);
  return loadConfigText(text, {
    baseDir: FIXTURES,
    fileName: 'inline.yaml',
    templatesRoot: `${FIXTURES}templates`,
    env: { WEBHOOK_SECRET: 'test-secret' },
    clock: () => NOW,
    ...options,
  });
}

/** The issues of a load that must fail. */
export async function issuesOf(source: string | object, options: Partial<LoadTextOptions> = {}): Promise<readonly ConfigIssue[]> {
  try {
    await loadInline(source, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('expected the configuration to be rejected');
}

/** A minimal valid configuration with the given run configurations. */
export function config(...runConfigurations: object[]): Record<string, unknown> {
  return {
    apiVersion: 'runbridge.dev/v1alpha1',
    kind: 'Config',
    github: { secrets: [{ fromEnv: 'WEBHOOK_SECRET' }] },
    runConfigurations,
  };
}

/** A valid run configuration of the `echo-run` fixture template, triggered by pushes to main. */
export function echo(name: string, extra: object = {}): Record<string, unknown> {
  return {
    name,
    namespace: 'ml',
    template: 'echo-run',
    parameters: [{ name: 'message', valueFrom: { event: 'sha' } }],
    triggers: { git: [{ branches: ['main'] }] },
    ...extra,
  };
}
