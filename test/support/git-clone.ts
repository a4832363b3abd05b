// A temporary clone of a Gitea repository, pushed to with the real git over HTTP, as a
// developer would: the pushes are what make Gitea send its push, create and delete events.
//
//   const clone = await cloneRepository(gitea, repo);
//   const sha = await clone.commit({ 'src/app.ts': 'export {};\n' }, 'Add the app');
//   await clone.push('HEAD:refs/heads/feature');
//   await clone.remove();
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { GiteaClient, GiteaRepository } from './gitea-api.ts';

export interface GitClone {
  readonly dir: string;
  /** Runs git in the clone; returns its standard output, trimmed. */
  git(...args: string[]): Promise<string>;
  /** Writes (string) or deletes (null) files, commits them all, and returns the new commit's SHA. */
  commit(files: Readonly<Record<string, string | null>>, message: string): Promise<string>;
  /** git push origin REFSPEC... (e.g. 'HEAD:refs/heads/dev', 'refs/tags/v1', ':refs/heads/dev' to delete). */
  push(...refspecs: string[]): Promise<void>;
  /** Creates an annotated tag at HEAD (or `at`) and returns the SHA of the commit it points to. */
  tag(name: string, at?: string): Promise<string>;
  /** The commit SHA a local ref, branch or HEAD names. */
  sha(ref?: string): Promise<string>;
  remove(): Promise<void>;
}

/** Clones as the admin (its token in the remote URL), with a fixed author and no user or system git config. */
export async function cloneRepository(gitea: GiteaClient, repository: GiteaRepository): Promise<GitClone> {
  const home = await mkdtemp(join(tmpdir(), 'runbridge-git-'));
  const dir = join(home, repository.name);
  const remote = new URL(repository.cloneUrl);
  remote.username = encodeURIComponent(gitea.admin.username);
  remote.password = encodeURIComponent(gitea.admin.token);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Ada Tester',
    GIT_AUTHOR_EMAIL: 'ada@runbridge.test',
    GIT_COMMITTER_NAME: 'Ada Tester',
    GIT_COMMITTER_EMAIL: 'ada@runbridge.test',
  };
  const run = async (cwd: string, args: string[]): Promise<string> => {
    try {
      const { stdout } = await promisify(execFile)('git', args, { cwd, env });
      return stdout.trim();
    } catch (error) {
      const { stderr = '' } = error as { stderr?: string };
      throw new Error(`git ${args.join(' ')} failed: ${stderr.replaceAll(gitea.admin.token, '***')}`, { cause: error });
    }
  };
  await run(home, ['clone', '--quiet', remote.href, dir]);
  const git = (...args: string[]): Promise<string> => run(dir, args);
  const sha = (ref = 'HEAD'): Promise<string> => git('rev-parse', `${ref}^{commit}`);

  return {
    dir,
    git,
    sha,
    commit: async (files, message) => {
      for (const [path, content] of Object.entries(files)) {
        const file = join(dir, path);
        if (content === null) {
          await git('rm', '--quiet', '--', path);
        } else {
          await mkdir(dirname(file), { recursive: true });
          await writeFile(file, content);
          await git('add', '--', path);
        }
      }
      await git('commit', '--quiet', '-m', message);
      return sha();
    },
    push: async (...refspecs) => {
      await git('push', '--quiet', 'origin', ...refspecs);
    },
    tag: async (name, at = 'HEAD') => {
      await git('tag', '-a', name, '-m', `Release ${name}`, at);
      return sha(name);
    },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}
