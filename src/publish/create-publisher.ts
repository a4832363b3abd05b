/**
 * runbridge's own CloudEvents on NATS (`completions.publish.subject`, `runbridge.events` by
 * default), in structured mode (`content-type: application/cloudevents+json`):
 *
 * - `dev.runbridge.run.submitted`: a run was submitted (created, or found existing on a
 *   redelivery: `created` says which), with the run configuration, the event and the run;
 * - `org.kubeflow.pipelines.run-completion`: a run runbridge watched completed, with KFP-Operator's
 *   run-completion data, so existing sensors keep working.
 *
 * Ids are stable (`<namespace>/<name>:submitted`, the completion's event id) and also sent as
 * `Nats-Msg-Id`, so a JetStream stream on the subject drops repeats within its duplicate window.
 * Publishing is core NATS: while disconnected, the client buffers and sends on reconnect.
 */
import { CloudEvent, HTTP } from 'cloudevents';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import type { RunbridgeEvent, TriggerType } from '../events/event.ts';
import { RUN_COMPLETED_TYPE, RUN_SUBMITTED_TYPE } from './published-types.ts';
import { runCompletedData } from './run-completed-data.ts';

export interface PublisherOptions {
  readonly nc: NatsConnection;
  readonly subject: string;
  /** The CloudEvent `source`; `runbridge` by default. */
  readonly source?: string;
  readonly clock?: () => Date;
}

export interface SubmittedRun {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string | undefined;
  readonly created: boolean;
  readonly dryRun: boolean;
}

export interface RunSubmittedInput {
  /** `namespace/name` of the run configuration. */
  readonly runConfiguration: string;
  /** Which trigger matched (`git[0]`, `schedules[1]`, `upstream`, `manual`). */
  readonly trigger: string;
  readonly event: Pick<RunbridgeEvent, 'id' | 'source' | 'type'> & { readonly trigger: TriggerType };
  readonly run: SubmittedRun;
}

export interface RunSubmittedData {
  readonly runConfiguration: string;
  readonly trigger: string;
  readonly event: { readonly id: string; readonly source: string; readonly type: string; readonly trigger: TriggerType };
  readonly run: SubmittedRun;
}

export interface Publisher {
  runSubmitted(input: RunSubmittedInput): Promise<void>;
  /** `event` must carry a completion. */
  runCompleted(event: RunbridgeEvent): Promise<void>;
}

export function createPublisher(options: PublisherOptions): Publisher {
  const { nc, subject } = options;
  const source = options.source ?? 'runbridge';
  const clock = options.clock ?? (() => new Date());

  const publish = (attributes: { id: string; type: string; subject: string; time: string; data: object }): void => {
    const message = HTTP.structured(new CloudEvent({ ...attributes, source, specversion: '1.0', datacontenttype: 'application/json' }));
    const h = natsHeaders();
    h.set('content-type', 'application/cloudevents+json');
    h.set('Nats-Msg-Id', attributes.id);
    nc.publish(subject, String(message.body), { headers: h });
  };

  return {
    async runSubmitted({ runConfiguration, trigger, event, run }) {
      const data: RunSubmittedData = {
        runConfiguration,
        trigger,
        event: { id: event.id, source: event.source, type: event.type, trigger: event.trigger },
        run: { apiVersion: run.apiVersion, kind: run.kind, namespace: run.namespace, name: run.name, ...(run.uid ? { uid: run.uid } : {}), created: run.created, dryRun: run.dryRun },
      };
      const id = `${run.namespace}/${run.name}:submitted`;
      publish({ id, type: RUN_SUBMITTED_TYPE, subject: `${run.namespace}/${run.name}`, time: clock().toISOString(), data });
    },
    async runCompleted(event) {
      const completion = event.completion;
      if (!completion) throw new TypeError(`event ${event.id} carries no run completion`);
      const run = completion.runNamespace && completion.runName ? `${completion.runNamespace}/${completion.runName}` : (completion.runName ?? completion.runId ?? event.id);
      publish({ id: event.id, type: RUN_COMPLETED_TYPE, subject: run, time: completion.runEndTime ?? event.time, data: runCompletedData(completion) });
    },
  };
}
