/**
 * A pause that can be cut short: loops that wait between attempts (leader election, restarting a
 * JetStream consumer) wake it when they are stopped, instead of waiting out the pause.
 *
 *   const pause = delay(ms);
 *   wake = pause.wake;   // stop() calls wake?.()
 *   await pause.done;
 */
export interface Delay {
  /** Resolves when the time is up or `wake` was called. */
  readonly done: Promise<void>;
  wake(): void;
}

export function delay(ms: number): Delay {
  let wake: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, wake };
}

/** The plain pause (the default `sleep` of the parts that take one as an option). */
export function sleep(ms: number): Promise<void> {
  return delay(ms).done;
}
