/**
 * Real GitHub webhook payloads from @octokit/webhooks-examples (the api.github.com set), looked up
 * by event name and a predicate, deep-copied so a test may edit its own copy.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { githubEvent } from '../../src/sources/github/github-event.ts';
import type { RunbridgeEvent } from '../../src/events/event.ts';

/** Payloads are edited freely in tests; their fields are GitHub's, not ours to type. */
export type Payload = Record<string, any>;

interface Definition {
  name: string;
  examples: Payload[];
}

const file = createRequire(import.meta.url).resolve('@octokit/webhooks-examples');
const definitions = JSON.parse(readFileSync(file, 'utf8')) as Definition[];

export function example(name: string, matches: (payload: Payload) => boolean = () => true): Payload {
  const found = definitions.find((definition) => definition.name === name)?.examples.find(matches);
  if (found === undefined) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

export const RECEIVED_AT = new Date('2026-03-01T12:00:00.000Z');

export function deliver(name: string, payload: unknown, deliveryId = `delivery-${name}`): RunbridgeEvent {
  return githubEvent({ name, deliveryId, payload, receivedAt: RECEIVED_AT });
}

/** The payloads the tests use, by what they are; derived ones say how they were derived. */
export const payloads = {
  branchPush: () => example('push', (p) => p.ref === 'refs/heads/master' && p.commits?.length > 0),
  tagPush: () => example('push', (p) => p.ref === 'refs/tags/simple-tag' && p.created === true),
  tagDeletion: () => example('push', (p) => p.ref === 'refs/tags/simple-tag' && p.deleted === true),
  /** The examples have no branch deletion: a tag deletion with its ref moved to a branch. */
  branchDeletion: () => ({ ...payloads.tagDeletion(), ref: 'refs/heads/feature/old' }),
  pullRequest: (action: string) => example('pull_request', (p) => p.action === action),
  /** The examples have no merge: a closed pull request marked merged as GitHub does. */
  pullRequestMerged: () => {
    const payload = payloads.pullRequest('closed');
    payload.pull_request.merged = true;
    payload.pull_request.merged_at = payload.pull_request.closed_at;
    return payload;
  },
  release: (action: string) => example('release', (p) => p.action === action),
  createTag: () => example('create', (p) => p.ref_type === 'tag'),
  deleteTag: () => example('delete', (p) => p.ref_type === 'tag'),
  /** The examples only create tags: the same delivery for a branch. */
  createBranch: () => ({ ...example('create', (p) => p.ref_type === 'tag'), ref: 'feature/x', ref_type: 'branch' }),
  ping: () => example('ping', (p) => p.repository !== undefined),
  organizationPing: () => example('ping', (p) => p.repository === undefined),
  issues: () => example('issues', (p) => p.action === 'opened'),
};
