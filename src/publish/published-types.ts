/** The CloudEvent types runbridge publishes. */
export const RUN_SUBMITTED_TYPE = 'dev.runbridge.run.submitted';
export const RUN_COMPLETED_TYPE = 'org.kubeflow.pipelines.run-completion';
