/**
 * How a submitter is answered: it waits for the event's attempt only up to the answer deadline;
 * then it is told what the attempt came to, or that the event is stored and pending.
 */
import type { AttemptOutcome, RunningAttempt } from './create-attempts.ts';
import type { Submitted } from './intake.ts';
import type { IntakeEntry, IntakeRecord } from './intake-record.ts';
import type { AttemptResult } from './attempt-result.ts';

/** The promise's value, or undefined when it is not settled within `ms`. */
export async function within<T>(running: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([running, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an answer is made of: what the attempt came to, and the record it left (when it was written). */
export type Answerable<Answer> = Pick<AttemptOutcome<Answer>, 'result'> & { readonly record?: IntakeRecord };

/**
 * What a submitter can be answered with, as early as it is known: an event done as soon as its
 * path has run (its runs exist; the record that says so is written after, and a crash before
 * that write only has the event run again, finding its runs), anything else once its record is
 * stored (a dead letter is kept, a pending event is scheduled).
 */
export function firstAnswer<Answer>(attempt: RunningAttempt<Answer>): Promise<Answerable<Answer>> {
  const done = attempt.processed.then((result): Answerable<Answer> | Promise<Answerable<Answer>> => (result?.result === 'done' ? { result } : attempt.finished));
  return Promise.race<Answerable<Answer>>([attempt.finished, done]);
}

/** The answer for an attempt that ended in time (`outcome`), or for one still under way (`pending`, the record it started from). */
export function answerOf<Answer>(outcome: Answerable<Answer> | undefined, pending: IntakeRecord, duplicate: boolean): Submitted<Answer> {
  if (outcome?.result?.result === 'done') return { state: 'done', duplicate, answer: outcome.result.answer };
  const record = outcome?.record ?? pending;
  const state = record.state === 'dead' ? 'dead' : 'pending';
  return outcome?.result ? { state, duplicate, record, answer: outcome.result.answer } : { state, duplicate, record };
}

/**
 * A redelivery of an event already done: its path runs again only to answer with its runs (each
 * found, not created); nothing is stored.
 */
export async function answerDone<Answer>(
  process: (entry: IntakeEntry) => Promise<AttemptResult<Answer>>,
  entry: IntakeEntry,
  done: IntakeRecord,
  answerWithinMs: number,
): Promise<Submitted<Answer>> {
  const again = await within(
    process(entry).catch(() => undefined),
    answerWithinMs,
  );
  if (again?.result === 'done') return { state: 'done', duplicate: true, answer: again.answer };
  return { state: 'pending', duplicate: true, record: done };
}
