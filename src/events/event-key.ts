/**
 * An event's key: its id in its source's own space, what run names and every state record use, so
 * that no event of one source can stand in for another's (a completion whose id is a schedule
 * tick's id does not take the tick's run, nor its dedupe record). See docs/adr/0003-idempotent-run-names.md.
 *
 * The key is `<source>:<id>`, and an id that already begins with `<source>:` is its own key
 * (GitLab's `gitlab:<uuid>`, the forges' content keys). Three sources keep their bare ids, so that
 * the runs they named before keep their names; none of them can take another source's shape:
 *
 * - `cron`: `<namespace>/<name>@<slot>`, made by runbridge: a `/` comes before any `:`;
 * - `manual`: `manual-<Idempotency-Key>`, made by runbridge: no source is named `manual-…`;
 * - `github`: GitHub's delivery GUIDs; an id with a `:` is keyed `github:<id>` like any other.
 *
 * Every other key begins with its source's name and a `:`, and no source name holds a `:` or a `/`.
 */
import type { RunbridgeEvent } from './event.ts';

const BARE = new Set(['cron', 'manual']);

export function eventKey(event: Pick<RunbridgeEvent, 'source' | 'id'>): string {
  const { source, id } = event;
  if (BARE.has(source) || (source === 'github' && !id.includes(':'))) return id;
  return id.startsWith(`${source}:`) ? id : `${source}:${id}`;
}
