/**
 * Plain REST calls to the test kube-apiserver as its admin (client certificate from the admin
 * kubeconfig), for what the typed client does not do well in tests: objects sent exactly as
 * written, SubjectAccessReviews, and requests impersonating a service account.
 */
import { request } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeRest {
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Creates an object; 409 AlreadyExists is fine. Throws on anything else that is not 2xx. */
  create(object: KubeObject): Promise<void>;
  /** Would `user` (with `groups`) be allowed to do this? A SubjectAccessReview, as admin. */
  can(user: string, groups: readonly string[], attributes: ResourceAttributes): Promise<boolean>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ResourceAttributes {
  verb: string;
  group?: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export function kubeRest(kc: KubeConfig): KubeRest {
  const cluster = kc.getCurrentCluster();
  const user = kc.getCurrentUser();
  if (!cluster || !user?.certData || !user.keyData || !cluster.caData) throw new Error('the admin kubeconfig needs inline certificates');
  const tls = {
    ca: Buffer.from(cluster.caData, 'base64'),
    cert: Buffer.from(user.certData, 'base64'),
    key: Buffer.from(user.keyData, 'base64'),
  };
  const plurals = new Map<string, { plural: string; namespaced: boolean }>();

  const call: KubeRest['call'] = (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = request(
        new URL(path, cluster.server),
        {
          ...tls,
          method,
          timeout: 30_000,
          headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      req.end(payload);
    });

  /** The resource path of a kind, found by discovery. */
  const resourceOf = async (apiVersion: string, kind: string): Promise<{ plural: string; namespaced: boolean }> => {
    const key = `${apiVersion}/${kind}`;
    const known = plurals.get(key);
    if (known) return known;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const { status, body } = await call('GET', base);
    if (status !== 200) throw new Error(`discovery of ${apiVersion} answered ${status}`);
    for (const r of (body as { resources: { name: string; kind: string; namespaced: boolean }[] }).resources) {
      if (!r.name.includes('/')) plurals.set(`${apiVersion}/${r.kind}`, { plural: r.name, namespaced: r.namespaced });
    }
    const found = plurals.get(key);
    if (!found) throw new Error(`${kind} is not served in ${apiVersion}`);
    return found;
  };

  return {
    call,
    async create(object) {
      const { plural, namespaced } = await resourceOf(object.apiVersion, object.kind);
      const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
      const namespace = object.metadata.namespace ?? 'default';
      const path = `${base}${namespaced ? `/namespaces/${namespace}` : ''}/${plural}?fieldValidation=Strict`;
      const { status, body } = await call('POST', path, object);
      if (status === 409) return;
      if (status < 200 || status > 299) {
        throw new Error(`creating ${object.kind} ${object.metadata.name}: HTTP ${status}: ${typeof body === 'string' ? body : (body as { message?: string }).message}`);
      }
    },
    async can(userName, groups, attributes) {
      const review = {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: { user: userName, groups: [...groups], resourceAttributes: { group: '', ...attributes } },
      };
      const { status, body } = await call('POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', review);
      if (status !== 201 && status !== 200) throw new Error(`SubjectAccessReview answered ${status}: ${JSON.stringify(body)}`);
      return (body as { status?: { allowed?: boolean } }).status?.allowed === true;
    },
  };
}
