/**
 * Replicas as Kubernetes runs the chart's pods, behind an endpoints proxy: a pod is a `runbridge
 * serve` process that takes deliveries once its readiness is seen; deleting it is the kubelet's
 * sequence with the chart's `preStop: sleep` — taken out of the endpoints, SIGTERM only after the
 * pause, then the daemon drains and exits; killing it is SIGKILL with no warning.
 *
 *   const pods = replicaPods({ proxy, configFile, env, preStopMs: 3_000 });
 *   const { pod, readyMs } = await pods.start();
 *   const { exitCode, stopMs } = await pods.delete(pod);
 */
import { startServe, type ServeProcess } from '../shutdown/serve-process.ts';
import type { EndpointsProxy } from './endpoints-proxy.ts';

export interface Pod {
  readonly name: string;
  readonly serve: ServeProcess;
}

export interface Started {
  readonly pod: Pod;
  /** From the process's start until the proxy routes to it. */
  readonly readyMs: number;
}

export interface Deleted {
  readonly pod: Pod;
  /** When the pod was marked terminating (its preStop pause began) and when it got SIGTERM. */
  readonly markedAt: number;
  readonly sigtermAt: number;
  readonly exitCode: number | null;
  /** From SIGTERM until the process exited. */
  readonly stopMs: number;
  /** Events the daemon had in flight when SIGTERM came (its "shutting down" log line). */
  readonly inFlightAtSigterm: number;
  /** What the daemon logged from SIGTERM on. */
  readonly shutdownLog: Record<string, unknown>[];
}

export interface ReplicaPods {
  start(): Promise<Started>;
  /** Graceful deletion: out of the endpoints, the preStop pause (`preStopMs` unless given), SIGTERM, exit. */
  delete(pod: Pod, preStopMs?: number): Promise<Deleted>;
  /** SIGKILL; the proxy learns of it only from its next readiness probe. */
  kill(pod: Pod): Promise<void>;
  /** Pods whose process is still running. */
  running(): Pod[];
  /** Every pod started, running or not. */
  all(): Pod[];
}

export interface ReplicaPodsOptions {
  readonly proxy: EndpointsProxy;
  readonly configFile: string;
  readonly env: NodeJS.ProcessEnv;
  readonly preStopMs: number;
  readonly readyTimeoutMs?: number;
}

export function replicaPods(options: ReplicaPodsOptions): ReplicaPods {
  const { proxy } = options;
  const running = new Set<Pod>();
  const all: Pod[] = [];
  let created = 0;

  return {
    async start() {
      const started = Date.now();
      const pod: Pod = { name: `runbridge-${++created}`, serve: await startServe(options.configFile, options.env) };
      running.add(pod);
      all.push(pod);
      void pod.serve.exited().then(() => running.delete(pod));
      proxy.add(pod.name, pod.serve.url);
      await proxy.routable(pod.name, options.readyTimeoutMs ?? 30_000);
      return { pod, readyMs: Date.now() - started };
    },

    async delete(pod, preStopMs = options.preStopMs) {
      const markedAt = Date.now();
      proxy.terminate(pod.name);
      await new Promise((resolve) => setTimeout(resolve, preStopMs));
      const sigtermAt = Date.now();
      pod.serve.kill('SIGTERM');
      const { code } = await pod.serve.exited();
      const stopMs = Date.now() - sigtermAt;
      proxy.remove(pod.name);
      const from = pod.serve.lines.findIndex((line) => String(line['msg']).startsWith('shutting down'));
      const shutdownLog = from < 0 ? [] : pod.serve.lines.slice(from);
      return { pod, markedAt, sigtermAt, exitCode: code, stopMs, inFlightAtSigterm: Number(shutdownLog[0]?.['inFlight'] ?? 0), shutdownLog };
    },

    async kill(pod) {
      pod.serve.kill('SIGKILL');
      await pod.serve.exited();
    },

    running: () => [...running],
    all: () => [...all],
  };
}
