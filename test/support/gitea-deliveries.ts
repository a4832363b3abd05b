// A webhook's recent deliveries, and replaying one, as the hook's settings page offers them.
// Gitea's REST API has neither (only "test delivery", which makes up a new push event), so
// these sign in to the web UI as the admin and use the page and its replay form.
import type { GiteaClient, GiteaWebhook } from './gitea-api.ts';

/** The UUIDs of the hook's recent deliveries (X-Gitea-Delivery), newest first: the last 100 (PAGING_NUM in gitea-app-ini.ts). */
export async function listDeliveries(gitea: GiteaClient, hook: GiteaWebhook): Promise<string[]> {
  const cookie = await signIn(gitea);
  const path = `/${hook.repository.fullName}/settings/hooks/${hook.id}`;
  const res = await fetch(`${gitea.url}${path}`, { headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`Gitea GET ${path} answered ${res.status}${res.headers.has('location') ? ` (to ${res.headers.get('location')})` : ''}`);
  // Each delivery is a button labelled with its UUID that opens its request and response.
  return [...html.matchAll(/data-panel="#info-\d+">([0-9a-f-]{36})<\/button>/g)].map((m) => m[1]!);
}

/**
 * Replays a delivery: Gitea queues a new hook task with the same event and body, and sends it
 * with a new delivery id (a new UUID), signed again with the hook's current secret.
 */
export async function replayDelivery(gitea: GiteaClient, hook: GiteaWebhook, uuid: string): Promise<void> {
  const cookie = await signIn(gitea);
  const path = `/${hook.repository.fullName}/settings/hooks/${hook.id}/replay/${uuid}`;
  const res = await fetch(`${gitea.url}${path}`, { method: 'POST', headers: { cookie }, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  // Success is a redirect back to the hook's page; an unknown UUID is a 404.
  if (res.status !== 303 && res.status !== 302) throw new Error(`Gitea POST ${path} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
}

/** The session cookie of a web sign-in as the admin. */
async function signIn(gitea: GiteaClient): Promise<string> {
  const res = await fetch(`${gitea.url}/user/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_name: gitea.admin.username, password: gitea.admin.password }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
  });
  // Gitea sets the session cookie twice (a new session is issued on sign-in): the last one counts.
  const cookies = new Map<string, string>();
  for (const cookie of res.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';', 1);
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  if (res.status !== 303 || !cookies.get('i_like_gitea')) {
    throw new Error(`Gitea sign-in as ${gitea.admin.username} answered ${res.status} without a session: ${(await res.text()).slice(0, 500)}`);
  }
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}
