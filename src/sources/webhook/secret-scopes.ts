/**
 * Which of a forge's secrets may vouch for which repositories. A forge's `secrets` lists plain
 * secrets (the fallback: every repository no scoped entry names) and scoped entries
 * `{repositories: [globs], secrets: [...]}`. For a delivery's repository the most specific scoped
 * entry that names it counts: an exact `owner/name` beats any glob, a glob with more literal
 * characters beats one with fewer, and on a tie the entry written first. Only when no scoped entry
 * names the repository do the plain secrets count; without plain secrets such a delivery is refused.
 *
 * The secrets are checked before the body is parsed (every configured secret, so the time taken
 * does not tell which matched); the scope is checked after, when the repository is known: a
 * delivery signed with a secret that does not cover its repository is refused like a bad signature.
 *
 *   const secrets = webhookSecrets([{ repositories: ['acme/*'], values: ['s1', 's2'] }, { values: ['fallback'] }]);
 *   requireSecretScope(secrets, new Set([0]), 'acme/shop'); // s1 covers acme/shop: passes
 *   requireSecretScope(secrets, new Set([2]), 'acme/shop'); // the fallback does not: SignatureError
 */
import { SignatureError } from '../../errors.ts';
import { compileGlobList, type GlobList } from '../../triggers/glob-list.ts';

/** A forge's secrets as loaded: each entry's values, and the repositories it covers (`undefined`: the fallback). */
export interface SecretEntry {
  readonly repositories?: readonly string[];
  readonly values: readonly string[];
}

interface Scope {
  readonly label: string;
  readonly list: GlobList;
  readonly patterns: readonly { readonly list: GlobList; readonly specificity: number }[];
  /** Positions in `WebhookSecrets.values`. */
  readonly secrets: ReadonlySet<number>;
}

export interface WebhookSecrets {
  /** Every secret of the forge, flattened: what a source authenticates against; positions name them. */
  readonly values: readonly string[];
  readonly scopes: readonly Scope[];
  /** Positions of the plain (unscoped) secrets; empty when there is no fallback. */
  readonly fallback: ReadonlySet<number>;
}

/** A name a glob reads literally: exact, the most specific of all. */
const LITERAL = /^[A-Za-z0-9._~-]+\/[A-Za-z0-9._~-]+$/;

function specificity(pattern: string): number {
  return LITERAL.test(pattern) ? Number.MAX_SAFE_INTEGER : pattern.replace(/[*?[\]{}()!+@,]/g, '').length;
}

/** Compiles the entries; their globs were validated at load (src/config/validate-sources.ts). */
export function webhookSecrets(entries: readonly SecretEntry[]): WebhookSecrets {
  const values: string[] = [];
  const scopes: Scope[] = [];
  const fallback = new Set<number>();
  for (const entry of entries) {
    const positions = new Set(entry.values.map((value) => values.push(value) - 1));
    if (entry.repositories === undefined) {
      for (const position of positions) fallback.add(position);
      continue;
    }
    const compile = (patterns: readonly string[]) => compileGlobList(patterns, 'secrets.repositories', { nocase: true }).list;
    const positive = entry.repositories.filter((p) => !p.startsWith('!'));
    scopes.push({
      label: compile(entry.repositories).label,
      list: compile(entry.repositories),
      patterns: positive.map((p) => ({ list: compile([p]), specificity: specificity(p) })),
      secrets: positions,
    });
  }
  return { values, scopes, fallback };
}

/** The secrets that may vouch for `repository`, and how to name them in a refusal. */
export function secretsFor(secrets: WebhookSecrets, repository: string): { readonly secrets: ReadonlySet<number>; readonly label: string } | undefined {
  let best: Scope | undefined;
  let bestSpecificity = -1;
  for (const scope of secrets.scopes) {
    if (!scope.list.matches(repository)) continue;
    // Only negations (`[!acme/secret]`) match without a positive pattern: the least specific.
    const score = Math.max(0, ...scope.patterns.filter((p) => p.list.matches(repository)).map((p) => p.specificity));
    if (score > bestSpecificity) {
      best = scope;
      bestSpecificity = score;
    }
  }
  if (best !== undefined) return { secrets: best.secrets, label: `the secrets of ${best.label}` };
  return secrets.fallback.size > 0 ? { secrets: secrets.fallback, label: 'the unscoped secrets' } : undefined;
}

/** Throws SignatureError (401) unless one of the `matched` secrets covers `repository`. */
export function requireSecretScope(secrets: WebhookSecrets, matched: ReadonlySet<number>, repository: string): void {
  const allowed = secretsFor(secrets, repository);
  const shown = repository || '(none)';
  if (allowed === undefined) throw new SignatureError(`no configured secret covers repository ${shown}`);
  for (const position of matched) if (allowed.secrets.has(position)) return;
  throw new SignatureError(`the delivery is signed with a secret that does not cover repository ${shown} (it needs ${allowed.label})`);
}
