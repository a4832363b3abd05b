/**
 * Run configurations for the chaining benchmarks: `roots` git-triggered run configurations, each
 * the upstream of `chains` chains `depth` deep. Every downstream takes its upstream's `out`
 * artifact as the `input` parameter (valueFrom.runConfigurationRef), as KFP-Operator users chain.
 */
export const CHAIN_NAMESPACE = 'bench';

export interface ChainForest {
  readonly runConfigurations: readonly object[];
  /** `namespace/name` of the roots. */
  readonly roots: readonly string[];
  /** Run configurations that a root completion eventually starts. */
  readonly downstreams: number;
}

/**
 * `completionSources`: where completions of the roots' runs (KFP-Operator's own, not created by
 * runbridge) are believed from; the completions benchmark reports them over NATS.
 */
export function chainForest(shape: { roots: number; chains: number; depth: number }, completionSources: readonly string[] = []): ChainForest {
  const runConfigurations: object[] = [];
  const roots: string[] = [];
  for (let r = 0; r < shape.roots; r++) {
    const root = `root-${r}`;
    roots.push(`${CHAIN_NAMESPACE}/${root}`);
    runConfigurations.push({
      ...kfpRun(root),
      ...(completionSources.length ? { completionSources } : {}),
      triggers: { git: [{ repository: 'Codertocat/Hello-World', events: ['push'], branches: ['main', 'master'] }] },
    });
    for (let c = 0; c < shape.chains; c++) {
      let upstream = root;
      for (let d = 1; d <= shape.depth; d++) {
        const name = `r${r}-c${c}-d${d}`;
        runConfigurations.push({
          ...kfpRun(name),
          parameters: [...kfpRun(name).parameters, { name: 'input', valueFrom: { runConfigurationRef: { name: upstream, outputArtifact: 'out' } } }],
          triggers: { runConfigurations: [upstream] },
        });
        upstream = name;
      }
    }
  }
  return { runConfigurations, roots, downstreams: shape.roots * shape.chains * shape.depth };
}

function kfpRun(name: string) {
  return {
    name,
    namespace: CHAIN_NAMESPACE,
    template: 'kfp-run',
    parameters: [
      { name: 'provider', value: 'kfp-operator/vertex-ai' },
      { name: 'pipeline', value: `${name}-pipeline` },
    ] as object[],
    artifacts: [{ name: 'out', path: 'Trainer:model' }],
  };
}
