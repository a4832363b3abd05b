/**
 * Every file or directory the configuration names — secret files, template directories,
 * kubeconfig, NATS credential and TLS files, the file sink's and the file state store's
 * directories — is relative to the configuration file's directory, so a configuration and the files
 * next to it travel together, wherever runbridge is started. They are made absolute here, once.
 */
import { isAbsolute, resolve } from 'node:path';
import { configuredForges } from './forge-sections.ts';
import type { Config, SecretSource } from './schema.ts';

export function resolveConfigPaths(config: Config, baseDir: string): Config {
  const file = (path: string): string => (isAbsolute(path) ? path : resolve(baseDir, path));
  const secret = <T extends SecretSource | undefined>(source: T): T =>
    (source !== undefined && 'fromFile' in source ? { fromFile: file(source.fromFile) } : source) as T;
  const nats = config.nats;
  const sink = config.sink;
  const state = config.state;
  return {
    ...config,
    ...Object.fromEntries(configuredForges(config).map(([name, forge]) => [name, { ...forge, secrets: forge.secrets.map(secret) }])),
    ...(config.api && { api: { ...config.api, ...(config.api.token && { token: secret(config.api.token) }) } }),
    templates: { directories: config.templates.directories.map(file) },
    sink:
      sink.type === 'file'
        ? { ...sink, directory: file(sink.directory) }
        : sink.kubeconfig === undefined
          ? sink
          : { ...sink, kubeconfig: file(sink.kubeconfig) },
    state: state.type === 'file' ? { ...state, directory: file(state.directory) } : state,
    ...(nats && {
      nats: {
        ...nats,
        ...(nats.token && { token: secret(nats.token) }),
        ...(nats.password && { password: secret(nats.password) }),
        ...(nats.nkeySeed && { nkeySeed: secret(nats.nkeySeed) }),
        ...(nats.credentialsFile !== undefined && { credentialsFile: file(nats.credentialsFile) }),
        ...(nats.tls && {
          tls: {
            ...(nats.tls.caFile !== undefined && { caFile: file(nats.tls.caFile) }),
            ...(nats.tls.certFile !== undefined && { certFile: file(nats.tls.certFile) }),
            ...(nats.tls.keyFile !== undefined && { keyFile: file(nats.tls.keyFile) }),
          },
        }),
      },
    }),
  };
}
