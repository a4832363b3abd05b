/**
 * Each shipped template rendered from a fixed context (the git facts of a real GitHub push) and
 * compared with the committed YAML under golden/. `UPDATE_GOLDEN=1` rewrites the files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { renderRun } from '../../src/render/render-run.ts';
import { loadTemplates } from '../../src/render/template-registry.ts';
import { contextWith, GOLDEN_PARAMETERS, provenanceOf } from './render-fixtures.ts';

const registry = await loadTemplates([]);
const update = process.env.UPDATE_GOLDEN === '1';

describe('golden renders of the shipped templates', () => {
  for (const name of registry.names()) {
    const template = registry.get(name);
    assert.ok(template);
    const variants = {
      [name]: contextWith(),
      [`${name}.minimal`]: contextWith(
        GOLDEN_PARAMETERS.filter((p) => template.requiredParams.has(p.name)),
        { labels: {}, annotations: {}, artifacts: [] },
      ),
    };
    for (const [golden, ctx] of Object.entries(variants)) {
      test(golden, async () => {
        const rendered = stringify(renderRun(template, ctx, provenanceOf(ctx)));
        const file = new URL(`golden/${golden}.yaml`, import.meta.url);
        if (update) await writeFile(file, rendered);
        assert.equal(rendered, await readFile(file, 'utf8'));
      });
    }
  }
});
