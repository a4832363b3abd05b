/** The labels and annotations runbridge stamps on every run it creates. */
export const PROVENANCE_LABELS = Object.freeze({
  runConfiguration: 'runbridge.dev/run-configuration',
  trigger: 'runbridge.dev/trigger',
  eventId: 'runbridge.dev/event-id',
  source: 'runbridge.dev/source',
  managedBy: 'app.kubernetes.io/managed-by',
});

export const PROVENANCE_ANNOTATIONS = Object.freeze({
  eventId: 'runbridge.dev/event-id',
  runConfiguration: 'runbridge.dev/run-configuration',
  eventType: 'runbridge.dev/event-type',
  source: 'runbridge.dev/source',
});

export const MANAGED_BY = 'runbridge';
