/**
 * A clock read as ISO-8601 UTC text. The text is made once per millisecond: at thousands of
 * events a second, the several timestamps each event records mostly fall in a millisecond whose
 * text is made already, and Date's toISOString is the costly part of reading the time.
 */
export function isoClock(clock: () => Date): () => string {
  let lastMs = Number.NaN;
  let last = '';
  return () => {
    const ms = clock().getTime();
    if (ms !== lastMs) {
      last = new Date(ms).toISOString(); // throws for an invalid date, as Date's own does
      lastMs = ms;
    }
    return last;
  };
}
