/** Matching always says why: a non-match carries a reason a human can act on. */
export type MatchResult =
  /** `note`: a match with a caveat the user should read (a rule the payload could not answer). */
  | { readonly matched: true; readonly trigger: string; readonly note?: string }
  | { readonly matched: false; readonly reason: string };

export const matched = (trigger: string, note?: string): MatchResult => (note === undefined ? { matched: true, trigger } : { matched: true, trigger, note });
export const notMatched = (reason: string): MatchResult => ({ matched: false, reason });
