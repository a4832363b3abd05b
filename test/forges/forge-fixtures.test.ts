// The forge fixtures under test/fixtures/ say what their forge says: the event header agrees with
// the body, each delivery has its own id, no header a test must make (signature, token) is baked
// in, and the fork examples come from another repository while the others do not.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES_DIR, loadForgeFixture, type Forge } from '../support/forge-fixture.ts';

interface ForgeRules {
  /** Header naming the event, and the one naming the delivery (unique per delivery). */
  eventHeader: string;
  deliveryHeader: string;
  /** What the body says the event is, in the terms of the event header. */
  eventOf: (body: Record<string, any>, header: string) => string;
  /** Source and target repository of a pull/merge request; undefined for other events. */
  sides: (body: Record<string, any>) => [source: unknown, target: unknown] | undefined;
}

const GITLAB_EVENTS: Record<string, string> = { push: 'Push Hook', tag_push: 'Tag Push Hook', merge_request: 'Merge Request Hook', release: 'Release Hook' };
const BITBUCKET_CLOUD_STATES: Record<string, string> = { created: 'OPEN', updated: 'OPEN', fulfilled: 'MERGED', rejected: 'DECLINED' };

const rules: Record<Forge, ForgeRules> = {
  gitea: {
    eventHeader: 'X-Gitea-Event',
    deliveryHeader: 'X-Gitea-Delivery',
    eventOf: (body) => (body['pull_request'] ? 'pull_request' : body['release'] ? 'release' : body['ref_type'] ? ('sha' in body ? 'create' : 'delete') : 'push'),
    sides: (body) => body['pull_request'] && [body['pull_request'].head.repo.full_name, body['pull_request'].base.repo.full_name],
  },
  gitlab: {
    eventHeader: 'X-Gitlab-Event',
    deliveryHeader: 'X-Gitlab-Webhook-UUID',
    eventOf: (body) => GITLAB_EVENTS[body['object_kind']] ?? `object_kind ${body['object_kind']}`,
    sides: (body) => (body['object_kind'] === 'merge_request' ? [body['object_attributes'].source_project_id, body['object_attributes'].target_project_id] : undefined),
  },
  'bitbucket-cloud': {
    eventHeader: 'X-Event-Key',
    deliveryHeader: 'X-Request-UUID',
    eventOf: (body, header) =>
      body['push'] ? 'repo:push' : `pullrequest:${Object.keys(BITBUCKET_CLOUD_STATES).find((k) => header === `pullrequest:${k}` && BITBUCKET_CLOUD_STATES[k] === body['pullrequest'].state) ?? body['pullrequest'].state}`,
    sides: (body) => body['pullrequest'] && [body['pullrequest'].source.repository.full_name, body['pullrequest'].destination.repository.full_name],
  },
  'bitbucket-dc': {
    eventHeader: 'X-Event-Key',
    deliveryHeader: 'X-Request-Id',
    eventOf: (body) => body['eventKey'],
    sides: (body) => body['pullRequest'] && [body['pullRequest'].fromRef.repository.id, body['pullRequest'].toRef.repository.id],
  },
};

const SECRET_HEADERS = /^(x-gitlab-token|x-hub-signature|x-hub-signature-256|x-gitea-signature|x-gogs-signature|x-forgejo-signature|authorization|webhook-signature)$/i;

for (const [forge, rule] of Object.entries(rules) as Array<[Forge, ForgeRules]>) {
  describe(`${forge} fixtures`, async () => {
    const files = readdirSync(join(FIXTURES_DIR, forge)).filter((f) => f.endsWith('.json'));
    const fixtures = await Promise.all(files.map(async (file) => ({ file, ...(await loadForgeFixture(forge, file)) })));

    test('there are fixtures', () => assert.ok(fixtures.length >= 9, `${fixtures.length} files`));

    for (const { file, headers, body } of fixtures) {
      test(file, () => {
        const parsed = JSON.parse(body) as Record<string, any>;
        const event = headers[rule.eventHeader];
        assert.ok(event, `${rule.eventHeader} is set`);
        assert.equal(rule.eventOf(parsed, event), event);
        assert.match(headers[rule.deliveryHeader] ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        assert.match(headers['Content-Type'] ?? '', /^application\/json\b/);
        assert.deepEqual(Object.keys(headers).filter((name) => SECRET_HEADERS.test(name)), []);
        if (headers['webhook-id'] !== undefined) assert.equal(headers['webhook-id'], headers['Idempotency-Key'], 'webhook-id is the Idempotency-Key');
        if (headers['webhook-timestamp'] !== undefined) assert.match(headers['webhook-timestamp'], /^\d{10}$/, 'webhook-timestamp is Unix seconds');
        const sides = rule.sides(parsed);
        if (sides) assert.equal(sides[0] !== sides[1], file.includes('fork'), `source ${String(sides[0])}, target ${String(sides[1])}`);
      });
    }

    test('each delivery has an id of its own, except a replay', () => {
      const ids = fixtures.filter((f) => !f.file.includes('replayed')).map((f) => f.headers[rule.deliveryHeader]);
      assert.equal(new Set(ids).size, ids.length);
    });
  });
}
