/** The CloudEvent type of a run completion, as KFP-Operator publishes it and runbridge accepts and publishes it. */
export const RUN_COMPLETION_TYPE = 'org.kubeflow.pipelines.run-completion';
