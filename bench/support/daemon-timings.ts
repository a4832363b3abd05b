/**
 * Where the daemon's time went, from its own /metrics: mean time per event (match, render,
 * submit, record) and mean time inside the sink's submit, since the daemon started.
 */
export interface DaemonTimings {
  readonly events: number;
  readonly eventMs: number;
  readonly submissions: number;
  readonly submitMs: number;
}

export async function daemonTimings(baseUrl: string): Promise<DaemonTimings> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const total = (prefix: string): number =>
    text
      .split('\n')
      .filter((line) => line.startsWith(prefix))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  const events = total('runbridge_event_duration_seconds_count');
  const submissions = total('runbridge_submission_duration_seconds_count');
  return {
    events,
    eventMs: events ? (total('runbridge_event_duration_seconds_sum') / events) * 1000 : Number.NaN,
    submissions,
    submitMs: submissions ? (total('runbridge_submission_duration_seconds_sum') / submissions) * 1000 : Number.NaN,
  };
}
