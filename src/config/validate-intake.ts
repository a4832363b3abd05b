/**
 * The JetStream intake's needs: the top-level NATS connection it publishes on, the NATS KV state
 * store the replicas share its records through, and a stream and subject of its own (the intake's
 * stream is a work queue: no other consumer may read it, and completions are not intake events).
 */
import type { Report } from './report.ts';
import type { Config } from './schema.ts';

export function validateIntake(config: Config, report: Report): void {
  const intake = config.intake;
  if (intake.type !== 'jetstream') return;
  if (!config.nats) report.error('intake.type', 'jetstream needs the top-level nats connection (nats.servers)');
  if (config.state.type !== 'nats') {
    report.error('intake.type', `jetstream needs state.type nats (state.type is ${config.state.type}): the replicas share the intake's records — done events and dead letters — through it`);
  }
  const completions = config.completions?.nats;
  if (completions?.jetstream && completions.jetstream.stream === intake.stream) {
    report.error('intake.stream', `${intake.stream} is the completions stream (completions.nats.jetstream.stream): the intake needs a stream of its own`);
  }
  if (completions && overlaps(completions.subject, intake.subject)) {
    report.error('intake.subject', `${intake.subject} overlaps the completions subject ${completions.subject} (completions.nats.subject)`);
  }
  const published = config.completions?.publish?.subject;
  if (published !== undefined && overlaps(published, intake.subject)) {
    report.error('intake.subject', `${intake.subject} overlaps the subject runbridge publishes its own events on (completions.publish.subject: ${published})`);
  }
}

/** Whether a subject (possibly with wildcards) matches the intake's literal subject. */
function overlaps(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '>') return have.length > i;
    if (i >= have.length || (want[i] !== '*' && want[i] !== have[i])) return false;
  }
  return want.length === have.length;
}
