import type { Failure } from './classify-failure.ts';
import type { GroupVersionKind } from './group-version-kind.ts';
import type { Outcome } from './with-retries.ts';

/**
 * Maps group/version/kind to the API resource serving it, from the API server's own discovery
 * document for that group/version (`GET /apis/<group>/<version>`), never from a guessed plural.
 * Documents are cached per group/version; a kind missing from the cached document (or no document
 * yet) refreshes it once, so a CRD installed after start is found without a restart. Concurrent
 * lookups of one group/version share one request.
 */
export interface ApiResource {
  /** The plural resource name used in paths (`runs`, `customruns`). */
  plural: string;
  namespaced: boolean;
  kind: string;
}

/** What `GET /apis/<group>/<version>` lists (V1APIResource, narrowed). */
export interface DiscoveredResource {
  name: string;
  namespaced: boolean;
  kind: string;
}

export type FetchResources = (group: string, version: string) => Promise<Outcome<readonly DiscoveredResource[]>>;

export type Discovery =
  | { status: 'found'; resource: ApiResource }
  | { status: 'not-served' }
  | { status: 'failed'; failure: Failure; attempts: number };

export interface ResourceDiscovery {
  lookup(gvk: GroupVersionKind): Promise<Discovery>;
  /** Drops the cached document of a group/version (the API server said a path is gone). */
  forget(group: string, version: string): void;
}

/** The resource for `kind` in one discovery document; subresources (`runs/status`) are skipped. */
export function findResource(resources: readonly DiscoveredResource[], kind: string): ApiResource | undefined {
  const found = resources.find((r) => r.kind === kind && !r.name.includes('/'));
  return found && { plural: found.name, namespaced: found.namespaced, kind: found.kind };
}

export function createResourceDiscovery(fetchResources: FetchResources): ResourceDiscovery {
  const cache = new Map<string, readonly DiscoveredResource[]>();
  const inFlight = new Map<string, Promise<Outcome<readonly DiscoveredResource[]>>>();

  const refresh = (group: string, version: string): Promise<Outcome<readonly DiscoveredResource[]>> => {
    const key = `${group}/${version}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = fetchResources(group, version).then((outcome) => {
        if (outcome.ok) cache.set(key, outcome.value);
        else if (outcome.failure.code === 404) cache.delete(key);
        return outcome;
      });
      pending.finally(() => inFlight.delete(key)).catch(() => undefined);
      inFlight.set(key, pending);
    }
    return pending;
  };

  return {
    async lookup(gvk) {
      const cached = cache.get(`${gvk.group}/${gvk.version}`);
      const hit = cached && findResource(cached, gvk.kind);
      if (hit) return { status: 'found', resource: hit };
      const outcome = await refresh(gvk.group, gvk.version);
      if (!outcome.ok) return outcome.failure.code === 404 ? { status: 'not-served' } : { status: 'failed', failure: outcome.failure, attempts: outcome.attempts };
      const resource = findResource(outcome.value, gvk.kind);
      return resource ? { status: 'found', resource } : { status: 'not-served' };
    },
    forget(group, version) {
      cache.delete(`${group}/${version}`);
    },
  };
}
