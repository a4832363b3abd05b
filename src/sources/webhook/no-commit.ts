const NO_COMMIT = /^0+$/;

/** A commit id, or `undefined` for the all-zero id forges send for "no commit" (a ref created or deleted). */
export function commitOrNone(sha: string | undefined | null): string | undefined {
  return sha === undefined || sha === null || sha === '' || NO_COMMIT.test(sha) ? undefined : sha;
}
