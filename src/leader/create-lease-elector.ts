/**
 * The Lease elector the daemon runs when `leaderElection.enabled` is set: configuration seconds
 * to milliseconds, the Lease lock on the cluster the Kubernetes credentials point at, and an
 * identity from the pod name when Kubernetes gives one (the downward API's POD_NAME).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import { createLeaderElector, type LeaderElector } from './create-leader-elector.ts';
import { createLeaseLock } from './lease-lock.ts';

export type LeaderElectionConfig = NonNullable<Config['leaderElection']>;

export function createLeaseElector(
  config: LeaderElectionConfig,
  options: { kubeConfig: KubeConfig; logger: Logger; env?: NodeJS.ProcessEnv; onStartedLeading?: () => void; onStoppedLeading?: () => void },
): LeaderElector {
  const env = options.env ?? process.env;
  const renewDeadlineMs = config.renewDeadlineSeconds * 1000;
  const lock = createLeaseLock(options.kubeConfig, {
    namespace: config.leaseNamespace,
    name: config.leaseName,
    requestTimeoutMs: Math.max(500, Math.floor(renewDeadlineMs / 2)),
  });
  return createLeaderElector({
    lock,
    identity: `${env['POD_NAME'] || hostname()}-${randomBytes(3).toString('hex')}`,
    leaseDurationMs: config.leaseDurationSeconds * 1000,
    renewDeadlineMs,
    retryPeriodMs: config.retryPeriodSeconds * 1000,
    logger: options.logger,
    ...(options.onStartedLeading ? { onStartedLeading: options.onStartedLeading } : {}),
    ...(options.onStoppedLeading ? { onStoppedLeading: options.onStoppedLeading } : {}),
  });
}
