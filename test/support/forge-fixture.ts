// Webhook deliveries kept under test/fixtures/<forge>/ as {headers, body}: the headers the forge
// sends (names spelled as the forge spells them) less the ones a test must make itself (the
// signature or token, which depend on the secret), and the body as parsed JSON.
//
//   const { headers, body } = await loadForgeFixture('gitlab', 'push.json');
//   // body is the JSON text to send (and to sign); headers go on the request as they are.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export type Forge = 'gitea' | 'gitlab' | 'bitbucket-cloud' | 'bitbucket-dc';

export interface ForgeFixture {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export const FIXTURES_DIR = join(import.meta.dirname, '..', 'fixtures');

/** The fixture with its body as JSON text (two-space indented, as the file holds it). */
export async function loadForgeFixture(forge: Forge, file: string): Promise<{ headers: Readonly<Record<string, string>>; body: string }> {
  const fixture = JSON.parse(await readFile(join(FIXTURES_DIR, forge, file), 'utf8')) as ForgeFixture;
  return { headers: fixture.headers, body: JSON.stringify(fixture.body, null, 2) };
}

export async function saveForgeFixture(forge: Forge, file: string, fixture: ForgeFixture): Promise<void> {
  await writeFile(join(FIXTURES_DIR, forge, file), `${JSON.stringify(fixture, null, 2)}\n`);
}
