/**
 * The answer to a delivery that became several events (a Bitbucket push of several refs), each
 * taken by the intake and answered by intakeResponse. The worst part decides the status and state:
 * a dead letter's 4xx (the first one's), else 202 while any part is pending, else 200. The body
 * holds the runs and skips of every part, one message naming each ref, and each part's own
 * answer under `parts`, in the delivery's order.
 */
import type { DispatchOutcome } from '../dispatch/dispatch-outcome.ts';
import type { RunbridgeEvent } from '../events/event.ts';
import type { Submitted } from '../intake/create-intake.ts';
import { intakeResponse, type IntakeBody } from './intake-response.ts';

export interface IntakePart {
  readonly submitted: Submitted<DispatchOutcome>;
  readonly event: Pick<RunbridgeEvent, 'id' | 'type' | 'git'>;
}

export interface CombinedIntakeBody extends IntakeBody {
  /** Each event's own answer, with the ref it is about. */
  parts: (IntakeBody & { ref: string })[];
}

const SEVERITY: Readonly<Record<IntakeBody['state'], number>> = { done: 0, pending: 1, dead: 2 };

export function combinedIntakeResponse(deliveryKey: string, parts: readonly [IntakePart, ...IntakePart[]]): { status: number; body: CombinedIntakeBody } {
  const answer = ({ submitted, event }: IntakePart) => ({ ref: event.git?.ref ?? '', ...intakeResponse(submitted, event) });
  const [head, ...tail] = parts;
  const first = answer(head);
  const others = tail.map(answer);
  const answers = [first, ...others];
  const worst = others.reduce((a, b) => (SEVERITY[b.body.state] > SEVERITY[a.body.state] ? b : a), first);
  return {
    status: worst.status,
    body: {
      eventId: deliveryKey,
      eventType: first.body.eventType,
      message: `${answers.length} ref changes: ${answers.map((a) => `${a.ref}: ${a.body.message}`).join('; ')}`,
      runs: answers.flatMap((a) => a.body.runs),
      skipped: answers.flatMap((a) => a.body.skipped),
      state: worst.body.state,
      duplicate: answers.every((a) => a.body.duplicate),
      parts: answers.map((a) => ({ ref: a.ref, ...a.body })),
    },
  };
}
