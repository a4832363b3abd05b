/**
 * Normalizes one GitHub webhook delivery into a RunbridgeEvent: the envelope (`id` is the
 * X-GitHub-Delivery id, `type` is `github.<X-GitHub-Event>`) and the GitFacts triggers match on.
 * The raw payload is kept as `data` for payload parameters and CEL expressions.
 */
import { MalformedEventError } from '../../errors.ts';
import type { GitFacts, RunbridgeEvent } from '../../events/event.ts';
import { githubBaseFacts } from './base-facts.ts';
import { optionalString } from './fields.ts';
import { pullRequestFacts } from './pull-request-facts.ts';
import { pushFacts } from './push-facts.ts';
import { refFacts } from './ref-facts.ts';
import { releaseFacts } from './release-facts.ts';
import { isRecord } from '../../events/json-record.ts';
import { withoutUndefined } from '../../events/without-undefined.ts';

export interface GithubDelivery {
  /** The X-GitHub-Event header. */
  readonly name: string;
  /** The X-GitHub-Delivery header. */
  readonly deliveryId: string;
  /** The parsed JSON body. */
  readonly payload: unknown;
  readonly receivedAt: Date;
}

/** GitHub event names are lowercase words joined by underscores (`pull_request_review`). */
const EVENT_NAME = /^[a-z][a-z_]*$/;

function gitFacts(name: string, payload: unknown): GitFacts {
  switch (name) {
    case 'push':
      return pushFacts(payload, githubBaseFacts(name, payload, true));
    case 'pull_request':
      return pullRequestFacts(payload, githubBaseFacts(name, payload, true));
    case 'create':
    case 'delete':
      return refFacts(name, payload, githubBaseFacts(name, payload, true));
    case 'release':
      return releaseFacts(payload, githubBaseFacts(name, payload, true));
    default:
      return withoutUndefined<GitFacts>({
        ...githubBaseFacts(name, payload, false),
        kind: name === 'ping' ? 'ping' : 'other',
        action: optionalString(payload, ['action']),
        deleted: false,
        created: false,
      });
  }
}

export function githubEvent(input: GithubDelivery): RunbridgeEvent {
  const { name, deliveryId, payload, receivedAt } = input;
  if (!EVENT_NAME.test(name)) throw new MalformedEventError(`invalid GitHub event name ${JSON.stringify(name)}`);
  if (deliveryId === '') throw new MalformedEventError(`github ${name} delivery has an empty delivery id`);
  if (!isRecord(payload)) {
    const got = payload === null ? 'null' : Array.isArray(payload) ? 'an array' : `a ${typeof payload}`;
    throw new MalformedEventError(`github ${name} payload is ${got}, a JSON object expected`);
  }
  return {
    id: deliveryId,
    source: 'github',
    type: `github.${name}`,
    time: receivedAt.toISOString(),
    trigger: 'git',
    data: payload,
    git: gitFacts(name, payload),
  };
}
