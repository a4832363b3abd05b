// A secret written inline in the configuration, at any secret field and in any form, never comes
// back in a validation error: the error names the field and says what is expected.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError } from '../../src/errors.ts';
import { loadInline } from './load-inline.ts';

const SECRET = 'ghp-inline-S3CRET-value-12345';
const base = { apiVersion: 'runbridge.dev/v1alpha1', kind: 'Config' };

const cases: Array<[string, object, string]> = [
  ['a webhook secret written as a string', { github: { secrets: [SECRET] } }, 'github.secrets[0]'],
  ['a webhook secret under an unknown key', { github: { secrets: [{ value: SECRET }] } }, 'github.secrets[0]'],
  ['a webhook secret used as a key', { github: { secrets: [{ [SECRET]: true }] } }, 'github.secrets[0]'],
  ['a webhook secret as fromEnv of the wrong type', { github: { secrets: [{ fromEnv: 12345678901234 }] } }, 'github.secrets[0].fromEnv'],
  ['the API token written as a string', { api: { token: SECRET } }, 'api.token'],
  ['the API token as a number', { api: { token: 31415926535897 } }, 'api.token'],
  ['the NATS password written as a string', { nats: { user: 'runbridge', password: SECRET } }, 'nats.password'],
  ['the NATS token written as a string', { nats: { token: SECRET } }, 'nats.token'],
  ['an nkey seed written as a list', { nats: { nkeySeed: [SECRET] } }, 'nats.nkeySeed'],
  ['a secret beside its source', { nats: { token: { fromEnv: 'NATS_TOKEN', value: SECRET } } }, 'nats.token'],
];

for (const [label, fields, path] of cases) {
  test(`attack: ${label} is not echoed by the validation error`, async () => {
    await assert.rejects(loadInline({ ...base, ...fields }, { env: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      const text = `${error.message}\n${JSON.stringify(error.issues)}`;
      for (const fragment of [SECRET, '12345678901234', '31415926535897']) assert.ok(!text.includes(fragment), text);
      assert.ok(error.issues.some((i) => i.path === path), text);
      assert.match(text, /fromEnv: VARIABLE|a string|a number|a list|a mapping/);
      return true;
    });
  });
}

test('a field that is not secret still quotes what was written, so the slip is easy to see', async () => {
  await assert.rejects(loadInline({ ...base, log: { level: 'loud' } }), /log\.level: expected one of .*, got "loud"/);
});
