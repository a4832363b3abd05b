/**
 * Supply-chain checks of package-lock.json that need no network and no advisory database: every
 * production package comes from the npm registry as a tarball with a sha512 integrity, none is a
 * git, file or link dependency, and none runs an install script (the image installs with
 * --ignore-scripts, so a dependency that needs one is broken there, and one that gained one is
 * suspect).
 */
export interface LockedPackage {
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly hasInstallScript?: boolean;
}

export interface Lockfile {
  readonly lockfileVersion?: number;
  readonly packages?: Readonly<Record<string, LockedPackage>>;
}

const REGISTRY = 'https://registry.npmjs.org/';
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

export function lockfileProblems(lock: Lockfile): string[] {
  if (lock.lockfileVersion === undefined || lock.lockfileVersion < 2 || !lock.packages) {
    return ['package-lock.json: lockfileVersion 2 or 3 with a packages section expected'];
  }
  const problems: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    if (entry.link) {
      problems.push(`${path}: a link to a local directory, not a registry package`);
      continue;
    }
    if (entry.version === undefined || !SEMVER.test(entry.version)) problems.push(`${path}: version ${JSON.stringify(entry.version)} is not a registry release`);
    if (entry.resolved !== undefined && !entry.resolved.startsWith(REGISTRY)) problems.push(`${path}: resolved from ${entry.resolved}, not from the npm registry`);
    if (!entry.integrity?.startsWith('sha512-')) problems.push(`${path}: no sha512 integrity (${entry.integrity ?? 'none'})`);
    if (entry.hasInstallScript) problems.push(`${path}: runs an install script`);
  }
  return problems;
}
