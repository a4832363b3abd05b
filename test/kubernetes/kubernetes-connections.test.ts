// The Kubernetes sink's kept-alive connections: the same credentials as client-node's own
// authentication, one dispatcher while the connection settings stay the same, a new one when they
// change. (That requests really share a connection is in kubernetes-sink.integration.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { HttpMethod, KubeConfig, RequestContext, type Cluster, type User } from '@kubernetes/client-node';
import { sharedConnections } from '../../src/kubernetes/shared-connections.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function kubeConfig(cluster: Partial<Cluster>, user: Partial<User>): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:6443', skipTLSVerify: false, ...cluster }],
    users: [{ name: 'u', ...user }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

/** The headers client-node's own authentication sets on a request. */
async function clientNodeHeaders(kc: KubeConfig): Promise<Record<string, string>> {
  const context = new RequestContext('https://127.0.0.1:6443/version', HttpMethod.GET);
  await kc.applySecurityAuthentication(context);
  return context.getHeaders();
}

async function sharedHeaders(kc: KubeConfig): Promise<Record<string, string>> {
  const connections = sharedConnections(kc);
  try {
    const context = new RequestContext('https://127.0.0.1:6443/version', HttpMethod.GET);
    await connections.applySecurityAuthentication(context);
    assert.deepEqual((await connections.connection()).headers, context.getHeaders());
    return context.getHeaders();
  } finally {
    await connections.close();
  }
}

describe('shared connections', () => {
  const credentials: Array<[string, Partial<Cluster>, Partial<User>]> = [
    ['a bearer token', { caData: b64('ca') }, { token: 'secret-token' }],
    ['basic auth', { skipTLSVerify: true }, { username: 'admin', password: 'p4ss' }],
    ['impersonation', { caData: b64('ca') }, { token: 't', impersonateUser: 'someone' }],
    ['a client certificate', { caData: b64('ca') }, { certData: b64('cert'), keyData: b64('key') }],
  ];
  for (const [label, cluster, user] of credentials) {
    test(`${label}: the same headers as client-node's own authentication`, async () => {
      const kc = kubeConfig(cluster, user);
      const expected = await clientNodeHeaders(kc);
      assert.ok(label === 'a client certificate' || Object.keys(expected).length > 0, 'the credentials make headers');
      assert.deepEqual(await sharedHeaders(kc), expected);
    });
  }

  test('one dispatcher for every request while the settings stay; concurrent first requests share it', async () => {
    const kc = kubeConfig({ caData: b64('ca') }, { certData: b64('cert'), keyData: b64('key') });
    const connections = sharedConnections(kc);
    try {
      const first = await Promise.all(Array.from({ length: 5 }, () => connections.connection()));
      const later = await connections.connection();
      assert.ok(first[0]!.dispatcher, 'a dispatcher of its own for TLS settings');
      for (const c of [...first, later]) assert.equal(c.dispatcher, first[0]!.dispatcher);
      assert.equal(connections.dispatchersBuilt, 1);

      const context = new RequestContext('https://127.0.0.1:6443/version', HttpMethod.GET);
      await connections.applySecurityAuthentication(context);
      assert.equal(context.getDispatcher(), first[0]!.dispatcher, 'client-node requests get it too');
    } finally {
      await connections.close();
    }
  });

  test('no TLS settings of its own (a public CA, a token): no dispatcher, as client-node would use its default one', async () => {
    const kc = kubeConfig({}, { token: 't' });
    const context = new RequestContext('https://127.0.0.1:6443/version', HttpMethod.GET);
    await kc.applySecurityAuthentication(context);
    assert.equal(context.getDispatcher(), undefined, 'client-node builds none either');
    const connections = sharedConnections(kc);
    try {
      assert.equal((await connections.connection()).dispatcher, undefined);
    } finally {
      await connections.close();
    }
  });

  test('a new token changes the headers, not the connection', async () => {
    const kc = kubeConfig({ caData: b64('ca') }, { token: 'one' });
    const connections = sharedConnections(kc);
    try {
      const before = await connections.connection();
      Object.assign(kc.getCurrentUser()!, { token: 'two' });
      const after = await connections.connection();
      assert.equal(before.headers['Authorization'], 'Bearer one');
      assert.equal(after.headers['Authorization'], 'Bearer two');
      assert.equal(after.dispatcher, before.dispatcher);
      assert.equal(connections.dispatchersBuilt, 1);
    } finally {
      await connections.close();
    }
  });

  for (const [label, change] of [
    ['a rotated client certificate', (kc: KubeConfig) => Object.assign(kc.getCurrentUser()!, { certData: b64('cert-2') })],
    ['a new CA', (kc: KubeConfig) => Object.assign(kc.getCurrentCluster()!, { caData: b64('ca-2') })],
    ['another server', (kc: KubeConfig) => Object.assign(kc.getCurrentCluster()!, { server: 'https://127.0.0.2:6443' })],
  ] as const) {
    test(`${label}: a new dispatcher`, async () => {
      const kc = kubeConfig({ caData: b64('ca') }, { certData: b64('cert'), keyData: b64('key') });
      const connections = sharedConnections(kc);
      try {
        const before = await connections.connection();
        change(kc);
        const after = await connections.connection();
        assert.notEqual(after.dispatcher, before.dispatcher);
        assert.equal(connections.dispatchersBuilt, 2);
        assert.equal((await connections.connection()).dispatcher, after.dispatcher);
      } finally {
        await connections.close();
      }
    });
  }
});
