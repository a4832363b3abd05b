/**
 * A downstream's reading of one upstream completion, before any state is consulted: is the
 * upstream one of its triggers, does the outcome match `triggers.upstream.on`, and is it a join.
 */
import type { CompiledRunConfiguration } from '../config/loaded-config.ts';
import type { UpstreamOutcome } from './latest-runs.ts';

export type UpstreamVerdict =
  | { readonly fires: 'now' }
  | { readonly fires: 'join'; readonly upstreams: readonly string[]; readonly on: UpstreamOutcome }
  | { readonly fires: 'no'; readonly reason: string };

export function readUpstreamPolicy(rc: CompiledRunConfiguration, upstream: string, status: 'succeeded' | 'failed'): UpstreamVerdict {
  if (!rc.upstreams.includes(upstream)) return { fires: 'no', reason: `upstream ${upstream} is not in triggers.runConfigurations` };
  const { mode, on } = rc.spec.triggers.upstream;
  if (on !== 'completed' && on !== status) return { fires: 'no', reason: `upstream ${upstream} ${status}; triggers.upstream.on is ${on}` };
  if (mode === 'all' && rc.upstreams.length > 1) return { fires: 'join', upstreams: rc.upstreams, on };
  return { fires: 'now' };
}
