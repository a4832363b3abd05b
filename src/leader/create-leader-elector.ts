/**
 * Leader election on a Kubernetes Lease, in the manner of client-go's leaderelection package
 * (@kubernetes/client-node 2.x ships none). Every `retryPeriod` each replica reads the Lease: a
 * replica holding it renews it; another takes it only when the holder has not renewed it for
 * `leaseDuration`, measured on this replica's own clock from when it last saw the Lease change (so
 * clocks need not agree); every write carries the resourceVersion read, so of two replicas racing
 * for it exactly one wins.
 *
 * `isLeader()` is true only while the last successful renewal is younger than `renewDeadline`,
 * which is shorter than `leaseDuration`: a leader that cannot renew stops firing before anyone else
 * can take over, even if its loop is stuck in a hung request. On stop, the Lease is released
 * (holder cleared), so a standby takes over at its next retry instead of after `leaseDuration`.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { delay } from '../delay.ts';
import { ConfigError } from '../errors.ts';
import type { LeaderRecord, LeaseLock } from './lease-lock.ts';

export interface LeaderElectorOptions {
  readonly lock: LeaseLock;
  /** Unique per replica; default `<hostname>-<random>`. */
  readonly identity?: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  readonly logger: Logger;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  readonly random?: () => number;
  readonly onStartedLeading?: () => void;
  readonly onStoppedLeading?: () => void;
  /** Clear the holder on stop (default true); false behaves like a crash (tests). */
  readonly releaseOnStop?: boolean;
}

export interface LeaderElector {
  readonly identity: string;
  start(): void;
  stop(): Promise<void>;
  isLeader(): boolean;
}

export function createLeaderElector(options: LeaderElectorOptions): LeaderElector {
  const { lock, leaseDurationMs, renewDeadlineMs, retryPeriodMs, logger } = options;
  checkTimings(options);
  const identity = options.identity ?? `${hostname()}-${randomBytes(4).toString('hex')}`;
  const clock = options.clock ?? Date.now;
  const random = options.random ?? Math.random;
  const log = logger.child({ lease: lock.description, identity });
  let observed: LeaderRecord | undefined;
  let observedAt = 0;
  let leading = false;
  let lastRenewAt = 0;
  let stopped = true;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  const observe = (record: LeaderRecord, now: number): void => {
    if (!observed || !sameRecord(observed, record)) {
      observed = record;
      observedAt = now;
    }
  };

  const tryAcquireOrRenew = async (): Promise<boolean> => {
    const now = clock();
    const fresh = (previous?: LeaderRecord): LeaderRecord => ({
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      acquireTime: previous?.holderIdentity === identity ? (previous.acquireTime ?? new Date(now)) : new Date(now),
      renewTime: new Date(now),
      leaseTransitions: previous === undefined ? 0 : previous.holderIdentity === identity ? previous.leaseTransitions : previous.leaseTransitions + 1,
    });
    const current = await lock.get();
    if (!current) {
      const record = fresh();
      if (!(await lock.create(record))) return false;
      observe(record, now);
      return true;
    }
    observe(current.record, now);
    const holder = current.record.holderIdentity;
    const expiresAt = observedAt + current.record.leaseDurationSeconds * 1000;
    if (holder !== '' && holder !== identity && now < expiresAt) return false;
    const record = fresh(current.record);
    if (!(await lock.update(record, current.resourceVersion))) return false;
    observe(record, now);
    return true;
  };

  const stopLeading = (why: string): void => {
    if (!leading) return;
    leading = false;
    log.warn({ reason: why }, 'leadership lost: this replica stops firing schedules');
    options.onStoppedLeading?.();
  };

  const run = async (): Promise<void> => {
    while (!stopped) {
      let renewed = false;
      try {
        renewed = await tryAcquireOrRenew();
      } catch (error) {
        log.debug({ err: error }, 'lease request failed');
      }
      if (stopped) break;
      const now = clock();
      if (renewed) {
        lastRenewAt = now;
        if (!leading) {
          leading = true;
          log.info('became the leader: this replica fires schedules');
          options.onStartedLeading?.();
        }
      } else if (leading) {
        const taken = observed !== undefined && observed.holderIdentity !== identity && observed.holderIdentity !== '';
        if (taken) stopLeading(`the lease is held by ${observed?.holderIdentity}`);
        else if (now - lastRenewAt >= renewDeadlineMs) stopLeading(`no renewal for ${now - lastRenewAt} ms`);
      }
      // Standbys spread their attempts a little, as client-go does (jitter 1.2).
      const pause = delay(leading ? retryPeriodMs : retryPeriodMs * (1 + 0.2 * random()));
      wake = pause.wake;
      await pause.done;
      wake = undefined;
    }
  };

  const release = async (): Promise<void> => {
    try {
      const current = await lock.get();
      if (!current || current.record.holderIdentity !== identity) return;
      const now = new Date(clock());
      const released: LeaderRecord = { ...current.record, holderIdentity: '', leaseDurationSeconds: 1, renewTime: now };
      if (await lock.update(released, current.resourceVersion)) log.info('lease released');
    } catch (error) {
      log.warn({ err: error }, 'could not release the lease; a standby takes over once it expires');
    }
  };

  return {
    identity,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = run();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const wasLeading = leading;
      stopLeading('stopping');
      wake?.();
      await loop;
      if (wasLeading && (options.releaseOnStop ?? true)) await release();
    },
    isLeader: () => leading && clock() - lastRenewAt < renewDeadlineMs,
  };
}

function sameRecord(a: LeaderRecord, b: LeaderRecord): boolean {
  return (
    a.holderIdentity === b.holderIdentity &&
    a.leaseTransitions === b.leaseTransitions &&
    a.leaseDurationSeconds === b.leaseDurationSeconds &&
    a.renewTime?.getTime() === b.renewTime?.getTime()
  );
}

function checkTimings(options: Pick<LeaderElectorOptions, 'leaseDurationMs' | 'renewDeadlineMs' | 'retryPeriodMs'>): void {
  const issues = [];
  if (!(options.leaseDurationMs > options.renewDeadlineMs)) {
    issues.push({ path: 'leaderElection.leaseDurationSeconds', message: 'must be greater than renewDeadlineSeconds' });
  }
  if (!(options.renewDeadlineMs > options.retryPeriodMs * 1.2)) {
    issues.push({ path: 'leaderElection.renewDeadlineSeconds', message: 'must be greater than 1.2 × retryPeriodSeconds' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
}
