/**
 * A `coordination.k8s.io/v1` Lease as the lock of leader election: read it, create it, or replace
 * it only if it is still at the resourceVersion read (optimistic concurrency: of two replicas
 * writing the same version, the API server takes one and answers 409 to the other).
 */
import {
  ApiException,
  CoordinationV1Api,
  V1MicroTime,
  type KubeConfig,
  type V1Lease,
} from '@kubernetes/client-node';
import { requestTimeout } from '../kubernetes/request-timeout.ts';

export interface LeaderRecord {
  /** '' when nobody holds the lease (released). */
  readonly holderIdentity: string;
  readonly leaseDurationSeconds: number;
  readonly acquireTime: Date | undefined;
  readonly renewTime: Date | undefined;
  readonly leaseTransitions: number;
}

export interface LeaseLock {
  /** `namespace/name`, for logs. */
  readonly description: string;
  get(): Promise<{ record: LeaderRecord; resourceVersion: string } | undefined>;
  /** False when someone created it first. */
  create(record: LeaderRecord): Promise<boolean>;
  /** False when it changed since `resourceVersion` was read. */
  update(record: LeaderRecord, resourceVersion: string): Promise<boolean>;
}

export interface LeaseLockOptions {
  readonly namespace: string;
  readonly name: string;
  /** Per request; keep it below the renew deadline. */
  readonly requestTimeoutMs: number;
}

export function createLeaseLock(kc: KubeConfig, options: LeaseLockOptions): LeaseLock {
  const api = kc.makeApiClient(CoordinationV1Api);
  const { namespace, name } = options;
  const body = (record: LeaderRecord, resourceVersion?: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
    spec: {
      holderIdentity: record.holderIdentity,
      leaseDurationSeconds: record.leaseDurationSeconds,
      leaseTransitions: record.leaseTransitions,
      ...(record.acquireTime ? { acquireTime: new V1MicroTime(record.acquireTime.getTime()) } : {}),
      ...(record.renewTime ? { renewTime: new V1MicroTime(record.renewTime.getTime()) } : {}),
    },
  });
  return {
    description: `${namespace}/${name}`,
    async get() {
      try {
        const lease = await api.readNamespacedLease({ name, namespace }, requestTimeout(options.requestTimeoutMs));
        const spec = lease.spec ?? {};
        return {
          resourceVersion: lease.metadata?.resourceVersion ?? '',
          record: {
            holderIdentity: spec.holderIdentity ?? '',
            leaseDurationSeconds: spec.leaseDurationSeconds ?? 0,
            acquireTime: toDate(spec.acquireTime),
            renewTime: toDate(spec.renewTime),
            leaseTransitions: spec.leaseTransitions ?? 0,
          },
        };
      } catch (error) {
        if (error instanceof ApiException && error.code === 404) return undefined;
        throw error;
      }
    },
    async create(record) {
      try {
        await api.createNamespacedLease({ namespace, body: body(record) }, requestTimeout(options.requestTimeoutMs));
        return true;
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) return false;
        throw error;
      }
    },
    async update(record, resourceVersion) {
      try {
        await api.replaceNamespacedLease({ name, namespace, body: body(record, resourceVersion) }, requestTimeout(options.requestTimeoutMs));
        return true;
      } catch (error) {
        if (error instanceof ApiException && error.code === 409) return false;
        throw error;
      }
    },
  };
}

/** client-node 2.x hands MicroTime fields back as strings; accept both. */
function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

