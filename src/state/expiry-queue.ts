/**
 * Keys in the order they expire, for a sweep that costs only what it removes. One first-in,
 * first-out queue per lifetime: records of one lifetime expire in the order they were written, so
 * each queue's head is its next expiry, and pushing is O(1). A key written again is queued again;
 * the entry's own expiry says which of its queued times still counts.
 */
export interface ExpiryQueue {
  push(key: string, expires: number, lifetimeMs: number): void;
  /** Calls `expire` for every queued (key, expiry) due at `now`, and forgets them. */
  drain(now: number, expire: (key: string, expires: number) => void): void;
  /** How many (key, expiry) pairs are queued. */
  size(): number;
}

interface Fifo {
  keys: string[];
  times: number[];
  head: number;
}

export function createExpiryQueue(): ExpiryQueue {
  const queues = new Map<number, Fifo>();
  let size = 0;
  return {
    push(key, expires, lifetimeMs) {
      let fifo = queues.get(lifetimeMs);
      if (fifo === undefined) queues.set(lifetimeMs, (fifo = { keys: [], times: [], head: 0 }));
      fifo.keys.push(key);
      fifo.times.push(expires);
      size++;
    },
    drain(now, expire) {
      for (const fifo of queues.values()) {
        while (fifo.head < fifo.times.length && fifo.times[fifo.head]! <= now) {
          expire(fifo.keys[fifo.head]!, fifo.times[fifo.head]!);
          fifo.head++;
          size--;
        }
        // Drop the consumed front once it is most of the arrays.
        if (fifo.head > 1024 && fifo.head * 2 > fifo.times.length) {
          fifo.keys = fifo.keys.slice(fifo.head);
          fifo.times = fifo.times.slice(fifo.head);
          fifo.head = 0;
        }
      }
    },
    size: () => size,
  };
}
