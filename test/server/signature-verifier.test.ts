import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhooks } from '@octokit/webhooks';
import { createSignatureVerifier } from '../../src/sources/github/create-signature-verifier.ts';
import { fixture } from './webhook-harness.ts';

const secret = 'old-secret-7f3a';
const bodies = [fixture('push.json'), '{"a":1}', '{"name":"Zoë ✓ 東京"}', ' '];

describe('signature verifier: the same verdicts as @octokit/webhooks', () => {
  const octokit = new Webhooks({ secret });
  const verify = createSignatureVerifier(['another-secret', secret]);
  for (const body of bodies) {
    test(`a body of ${body.length} characters`, async () => {
      const signature = await octokit.sign(body);
      const bytes = Buffer.from(body, 'utf8');
      const candidates = [
        signature,
        signature.toUpperCase(),
        `sha256=${signature.slice(7).toUpperCase()}`,
        signature.slice(0, -1),
        `${signature}0`,
        `sha256=${'0'.repeat(64)}`,
        await new Webhooks({ secret: 'not-the-secret' }).sign(body),
      ];
      for (const candidate of candidates) {
        assert.equal(verify(bytes, candidate), await octokit.verify(body, candidate), candidate);
      }
      assert.equal(verify(bytes, signature), true);
    });
  }

  test('no secret, an empty body, no header or no sha256= prefix: never verified', async () => {
    const signature = await octokit.sign('{}');
    assert.equal(createSignatureVerifier([])(Buffer.from('{}'), signature), false);
    assert.equal(verify(Buffer.alloc(0), signature), false);
    assert.equal(verify(Buffer.from('{}'), undefined), false);
    assert.equal(verify(Buffer.from('{}'), signature.slice(7)), false);
  });
});
