import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../errors.ts';

/**
 * Where the Kubernetes sink's credentials come from, in order: an explicit kubeconfig file; the
 * pod's service account when running in a cluster (KUBERNETES_SERVICE_HOST is set); else
 * $KUBECONFIG or ~/.kube/config. `context` picks a context other than the current one.
 */
export interface LoadKubeConfigOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  env?: NodeJS.ProcessEnv;
}

export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else if (env['KUBERNETES_SERVICE_HOST']) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (error) {
    const path = options.kubeconfig === undefined ? 'sink' : 'sink.kubeconfig';
    throw new ConfigError([{ path, message: `cannot load Kubernetes credentials: ${(error as Error).message}` }]);
  }
  if (options.context !== undefined) selectContext(kc, options.context);
  if (!kc.getCurrentCluster()) {
    throw new ConfigError([{ path: 'sink', message: 'no Kubernetes cluster configured: set sink.kubeconfig, $KUBECONFIG or ~/.kube/config' }]);
  }
  return kc;
}

function selectContext(kc: KubeConfig, context: string): void {
  if (!kc.getContextObject(context)) {
    const known = kc.getContexts().map((c) => c.name);
    throw new ConfigError([
      { path: 'sink.context', message: `context ${JSON.stringify(context)} is not in the kubeconfig (contexts: ${known.join(', ') || 'none'})` },
    ]);
  }
  kc.setCurrentContext(context);
}
