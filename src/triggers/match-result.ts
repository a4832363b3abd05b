/** Matching always says why: a non-match carries a reason a human can act on. */
export type MatchResult =
  | { readonly matched: true; readonly trigger: string }
  | { readonly matched: false; readonly reason: string };

export const matched = (trigger: string): MatchResult => ({ matched: true, trigger });
export const notMatched = (reason: string): MatchResult => ({ matched: false, reason });
