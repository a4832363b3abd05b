import { readFile } from 'node:fs/promises';

/**
 * The API token a client command sends: from `--token-file` (without its trailing newline), else
 * $RUNBRIDGE_API_TOKEN. A usage problem comes back as its message, for the command to print.
 */
export async function readApiToken(tokenFile: string | undefined, env: NodeJS.ProcessEnv): Promise<{ token: string } | { problem: string }> {
  let token: string | undefined;
  if (tokenFile !== undefined) {
    try {
      token = (await readFile(tokenFile, 'utf8')).replace(/\r?\n$/, '');
    } catch (error) {
      return { problem: `cannot read --token-file ${tokenFile}: ${(error as Error).message}` };
    }
  } else {
    token = env['RUNBRIDGE_API_TOKEN'];
  }
  return token ? { token } : { problem: 'no API token: pass --token-file FILE or set RUNBRIDGE_API_TOKEN' };
}
