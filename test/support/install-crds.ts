// Installs CustomResourceDefinitions into a test API server and waits until they are served.
import { readFile } from 'node:fs/promises';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { kubeRequest, statusMessage } from './kube-request.ts';

export const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

/** What installCrds reports for each CRD, once Established. */
export interface InstalledCrd {
  name: string;
  group: string;
  kind: string;
  plural: string;
  /** Served versions, storage version first. */
  versions: string[];
}

/**
 * Install CRD manifests with server-side apply (so installing twice is fine) and wait
 * until each is Established.
 *
 * The manifests go to the server as they are, in raw requests: client-node's typed
 * ApiextensionsV1Api serializes through its generated models, which silently drop the
 * `x-kubernetes-*` keys of a schema read from YAML, so the server would see a different
 * (and for Tekton's CustomRun, invalid) schema.
 */
export async function installCrds(kc: KubeConfig, files: string[]): Promise<InstalledCrd[]> {
  const names: string[] = [];
  for (const file of files) {
    const docs = parseAllDocuments(await readFile(file, 'utf8'));
    for (const doc of docs) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const body = doc.toJS() as { kind?: unknown; metadata?: { name?: unknown } } | null;
      if (!body) continue;
      if (body.kind !== 'CustomResourceDefinition') {
        throw new Error(`${file}: expected only CustomResourceDefinitions, found kind ${String(body.kind)}`);
      }
      const name = String(body.metadata?.name ?? '');
      const res = await kubeRequest(kc, 'PATCH', `${CRD_PATH}/${encodeURIComponent(name)}?fieldManager=runbridge-tests&force=true`, body, 'application/apply-patch+yaml');
      if (res.status >= 300) throw new Error(`installing CRD ${name} from ${file} failed: HTTP ${res.status}: ${statusMessage(res.body)}`);
      names.push(name);
    }
  }
  const installed: InstalledCrd[] = [];
  for (const name of names) installed.push(await waitEstablished(kc, name));
  return installed;
}

interface CrdJson {
  spec: { group: string; names: { kind: string; plural: string }; versions: Array<{ name: string; served: boolean; storage: boolean }> };
  status?: { conditions?: Array<{ type: string; status: string; message?: string }> };
}

async function waitEstablished(kc: KubeConfig, name: string, timeoutMs = 30_000): Promise<InstalledCrd> {
  const deadline = Date.now() + timeoutMs;
  let conditions = '';
  while (Date.now() < deadline) {
    const res = await kubeRequest(kc, 'GET', `${CRD_PATH}/${encodeURIComponent(name)}`);
    if (res.status !== 200) throw new Error(`reading CRD ${name}: HTTP ${res.status}: ${statusMessage(res.body)}`);
    const crd = JSON.parse(res.body) as CrdJson;
    const found = crd.status?.conditions ?? [];
    conditions = found.map((c) => `${c.type}=${c.status}${c.message ? ` (${c.message})` : ''}`).join(', ');
    if (found.some((c) => c.type === 'NamesAccepted' && c.status === 'False')) {
      throw new Error(`CRD ${name} was not accepted: ${conditions}`);
    }
    if (found.some((c) => c.type === 'Established' && c.status === 'True')) {
      const versions = crd.spec.versions.filter((v) => v.served).sort((a, b) => Number(b.storage) - Number(a.storage));
      return { name, group: crd.spec.group, kind: crd.spec.names.kind, plural: crd.spec.names.plural, versions: versions.map((v) => v.name) };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CRD ${name} was not Established within ${timeoutMs / 1000}s (conditions: ${conditions || 'none'})`);
}
