/**
 * Realistic render inputs: a run configuration and the push fixture, turned into template contexts
 * exactly as the dispatcher does (event normalized, parameters resolved, deterministic name), one
 * per delivery id so that values differ from one render to the next. `quickstartRenders` does it
 * for the quickstart configuration, which has one run configuration per shipped template.
 */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../src/config/load.ts';
import type { CompiledRunConfiguration } from '../../src/config/loaded-config.ts';
import { buildContext } from '../../src/dispatch/build-context.ts';
import { githubEvent } from '../../src/sources/github/github-event.ts';
import type { RunProvenance } from '../../src/render/render-run.ts';
import { runIdentity, runName } from '../../src/render/run-name.ts';
import type { TemplateContext } from '../../src/render/template-context.ts';
import { resolveParameters } from '../../src/triggers/resolve-parameters.ts';
import { REPO_ROOT } from './child-process.ts';

export interface RenderInput {
  readonly context: TemplateContext;
  readonly provenance: RunProvenance;
}

export interface TemplateCase {
  readonly template: string;
  readonly runConfiguration: CompiledRunConfiguration;
  readonly source: string;
  readonly inputs: readonly RenderInput[];
}

export async function quickstartRenders(count: number): Promise<TemplateCase[]> {
  const loaded = await loadConfig(`${REPO_ROOT}/examples/quickstart.yaml`, { env: {} });
  return Promise.all(
    loaded.runConfigurations.map(async (rc) => ({
      template: rc.template.name,
      runConfiguration: rc,
      source: await readFile(rc.template.file, 'utf8'),
      inputs: await pushRenderInputs(rc, count),
    })),
  );
}

/** `count` render inputs of `rc` for pushes with delivery ids `<idPrefix>-<n>` and a commit each. */
export async function pushRenderInputs(rc: CompiledRunConfiguration, count: number, idPrefix = 'bench'): Promise<RenderInput[]> {
  const payload = JSON.parse(await readFile(`${REPO_ROOT}/test/fixtures/github/push.json`, 'utf8')) as Record<string, unknown>;
  const now = new Date('2026-01-15T12:00:00Z');
  return Array.from({ length: count }, (_, i) => {
    const event = githubEvent({ name: 'push', deliveryId: `${idPrefix}-${i}`, payload: { ...payload, after: sha(i) }, receivedAt: now });
    const { params, parameters } = resolveParameters(rc.spec, event);
    const identity = runIdentity(rc.key, event.id);
    const name = runName(rc.spec.name, identity);
    return {
      context: buildContext({ rc: rc.spec, event, params, parameters, name, now }),
      provenance: {
        runConfiguration: { name: rc.spec.name, namespace: rc.spec.namespace },
        event: { id: event.id, source: event.source, type: event.type, trigger: event.trigger },
        labels: rc.spec.labels,
        annotations: rc.spec.annotations,
        identity,
      },
    };
  });
}

/** A 40-hex commit id that differs per render. */
function sha(i: number): string {
  return `${i.toString(16).padStart(8, '0')}27ae82c7b1a177c8d03f9e96e0adf246`;
}
