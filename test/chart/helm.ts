/**
 * Runs the real helm (built once by scripts/test-servers.ts) with its configuration, cache and data
 * directories in a scratch directory, so that tests neither read nor change the user's helm setup.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureHelm } from '../../scripts/test-servers.ts';

export const CHART = resolve(import.meta.dirname, '../../charts/runbridge');
/** helm built from source reports Kubernetes v1.20 unless told; the chart needs 1.30 or later. */
export const KUBE_VERSION = '1.36.0';

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Rendered {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: any;
}

export interface Helm {
  run(args: string[]): Promise<HelmResult>;
  /** A values file for `-f` in the scratch directory. */
  valuesFile(values: object): Promise<string>;
  /** `helm template` with these values; throws with helm's message when it fails. */
  template(values?: object, options?: { release?: string; namespace?: string; extraArgs?: string[] }): Promise<Rendered[]>;
  close(): Promise<void>;
}

export async function createHelm(): Promise<Helm> {
  const binary = await ensureHelm();
  const home = await mkdtemp(join(tmpdir(), 'runbridge-helm-'));
  let files = 0;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: home,
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
  };
  const run = (args: string[]): Promise<HelmResult> =>
    new Promise((done) => {
      execFile(binary, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      });
    });
  const valuesFile = async (values: object): Promise<string> => {
    const file = join(home, `values-${++files}.yaml`);
    await writeFile(file, stringify(values));
    return file;
  };
  return {
    run,
    valuesFile,
    async template(values = {}, options = {}) {
      const args = ['template', options.release ?? 'rb', CHART, '--namespace', options.namespace ?? 'runbridge', '--kube-version', KUBE_VERSION];
      args.push('-f', await valuesFile(values), ...(options.extraArgs ?? []));
      const result = await run(args);
      if (result.code !== 0) throw new Error(`helm template failed (${result.code}): ${result.stderr.trim()}`);
      return parseAllDocuments(result.stdout)
        .map((doc) => {
          if (doc.errors.length > 0) throw new Error(`helm rendered invalid YAML: ${doc.errors.map((e) => e.message).join('; ')}`);
          return doc.toJS() as Rendered | null;
        })
        .filter((o): o is Rendered => o !== null);
    },
    close: () => rm(home, { recursive: true, force: true }),
  };
}
