/**
 * The properties the runbridge image must have, checked on a parsed Dockerfile. Returns every
 * problem found (empty: the Dockerfile is fine), so a test can show them all at once and negative
 * cases can assert which property a broken Dockerfile violates.
 */
import type { Dockerfile, Instruction, Stage } from './parse-dockerfile.ts';

/** node:24, node:24.21, node:24.21.0 with a slim variant: has npm, npx, corepack, apt and dpkg. */
const NODE_24_SLIM = /^(?:docker\.io\/(?:library\/)?)?node:24(?:\.\d+){0,2}-(?:bookworm-|trixie-|bullseye-)?slim$/;
/** Distroless Node 24: node and its libraries, no shell, no package manager. */
const NODE_24_DISTROLESS = /^gcr\.io\/distroless\/nodejs24-debian\d+:[\w.-]+$/;
const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** Where a Node base image keeps its package managers; none may be copied into the final stage. */
const PACKAGE_MANAGER_PATHS = /(^|\/)(npm|npx|corepack|yarn|yarnpkg|pnpm|apt|apt-get|dpkg)$|\/lib\/node_modules(\/|$)|^\/usr\/local\/lib\/?$|^\/opt\/yarn/;
/** Files that hold (sample) secrets: never in an image. */
const SECRET_FILES = /(^|\/)[^/]*\.(secret|pem|key)$|(^|\/)\.env$/;
const NODE_BINARIES = new Set(['node', '/usr/local/bin/node', '/nodejs/bin/node', '/usr/bin/node']);
const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

export function imageProblems(dockerfile: Dockerfile): string[] {
  const problems: string[] = [];
  const { stages } = dockerfile;
  if (stages.length < 2) problems.push(`multi-stage: expected at least 2 stages, found ${stages.length}`);
  const final = stages.at(-1);
  if (!final) return [...problems, 'no FROM'];
  for (const stage of stages) {
    const fromStage = stages.some((other) => other.index < stage.index && other.name === stage.image);
    if (!fromStage && !DIGEST.test(stage.image)) problems.push(`FROM: ${stage.image} (stage ${stage.name ?? stage.index}) is not pinned by digest (@sha256:…)`);
  }
  const image = final.image.replace(DIGEST, '');
  if (NODE_24_SLIM.test(image)) {
    problems.push(`final FROM: ${final.image} ships npm, npx, corepack, apt and dpkg; use a distroless Node 24 image (no package manager)`);
  } else if (!NODE_24_DISTROLESS.test(image)) {
    problems.push(`final FROM: ${final.image} is not a distroless Node 24 image`);
  }
  const all = (keyword: string): Instruction[] => final.instructions.filter((i) => i.keyword === keyword);
  const last = (keyword: string): Instruction | undefined => all(keyword).at(-1);

  const user = last('USER');
  const uid = user?.args[0]?.split(':')[0];
  if (uid === undefined || !/^\d+$/.test(uid)) problems.push(`USER: expected a numeric user in the final stage, found ${user?.raw ?? 'none'}`);
  else if (Number(uid) === 0) problems.push('USER: the final stage runs as root (0)');

  const entrypoint = last('ENTRYPOINT');
  const exec = entrypoint?.json;
  if (!exec) {
    problems.push(`ENTRYPOINT: expected exec (JSON) form, found ${entrypoint?.raw ?? 'none'}`);
  } else {
    if (!NODE_BINARIES.has(exec[0] ?? '')) problems.push(`ENTRYPOINT: expected node to run directly, found ${exec[0]}`);
    if (!exec.includes('dist/cli.js') && !exec.includes('/app/dist/cli.js')) problems.push('ENTRYPOINT: does not run dist/cli.js');
    if (exec.some((arg) => SHELLS.test(arg) || arg === '-c')) problems.push('ENTRYPOINT: runs a shell');
  }
  const cmd = last('CMD');
  if (cmd && !cmd.json) problems.push(`CMD: expected exec (JSON) form, found ${cmd.raw}`);
  for (const i of [entrypoint, cmd]) {
    const words = i?.json ?? i?.args ?? [];
    if (words.some((w) => /(^|\/)(npm|npx|yarn|pnpm)$/.test(w))) problems.push(`${i?.keyword}: runs a package manager instead of node`);
  }

  const healthcheck = last('HEALTHCHECK');
  if (healthcheck && healthcheck.args[0]?.toUpperCase() !== 'NONE') {
    const command = healthcheck.raw.replace(/^(--\S+\s+)*/, '').replace(/^CMD\s+/i, '');
    if (!command.startsWith('[') || !Array.isArray(JSON.parse(command))) problems.push('HEALTHCHECK: not in exec form');
  }

  if (!all('EXPOSE').some((i) => i.args.some((a) => a === '8080' || a === '8080/tcp'))) problems.push('EXPOSE: 8080 is not exposed');

  const copied = all('COPY').filter((c) => c.flags['from'] === undefined).flatMap((c) => c.args.slice(0, -1)).map((source) => source.replace(/^\.\//, '').replace(/\/$/, ''));
  if (!copied.includes('templates')) problems.push('COPY: templates/ is not copied into the final stage');
  if (!copied.some((source) => source === 'examples' || /^examples\/\*\.ya?ml$/.test(source))) problems.push('COPY: examples/ is not copied into the final stage');
  if (copied.includes('examples')) problems.push("COPY: examples/ is copied whole, with the quickstart's published sample secret; copy examples/*.yaml");
  for (const source of copied.filter((c) => SECRET_FILES.test(c) || c === '.' || c === '*')) problems.push(`COPY: ${source} puts a secret file into the image`);
  for (const copy of all('COPY').filter((c) => c.flags['from'] !== undefined)) {
    for (const source of copy.args.slice(0, -1).filter((a) => PACKAGE_MANAGER_PATHS.test(a.replace(/\/$/, '')))) {
      problems.push(`COPY: ${source} from stage ${copy.flags['from']} brings a package manager into the final stage`);
    }
  }

  problems.push(...devDependencyProblems(stages, final));
  problems.push(...buildProblems(stages, final));
  return problems;
}

/** No dev dependencies in the runtime stage: installed there, or copied from a stage that installed them. */
function devDependencyProblems(stages: readonly Stage[], final: Stage): string[] {
  const problems: string[] = [];
  for (const run of final.instructions.filter((i) => i.keyword === 'RUN')) {
    if (installsPackages(run.raw) && !omitsDev(run.raw)) problems.push(`RUN: the final stage installs dev dependencies (${run.raw})`);
  }
  for (const copy of final.instructions.filter((i) => i.keyword === 'COPY' && i.flags['from'] !== undefined)) {
    if (!copy.args.slice(0, -1).some((source) => /(^|\/)node_modules\/?$/.test(source))) continue;
    const from = stageNamed(stages, copy.flags['from'] ?? '');
    if (!from) {
      problems.push(`COPY: node_modules come from ${copy.flags['from']}, which is not a stage of this file`);
      continue;
    }
    const installs = from.instructions.filter((i) => i.keyword === 'RUN' && installsPackages(i.raw));
    if (installs.length === 0 || installs.some((i) => !omitsDev(i.raw))) {
      problems.push(`COPY: node_modules come from stage ${from.name ?? from.index}, which installs dev dependencies`);
    }
  }
  return problems;
}

/** dist/ is compiled with `npm run build` in a build stage and copied from it. */
function buildProblems(stages: readonly Stage[], final: Stage): string[] {
  const copy = final.instructions.find((i) => i.keyword === 'COPY' && i.args.slice(0, -1).some((s) => /(^|\/)dist\/?$/.test(s)));
  if (!copy) return ['COPY: dist/ is not copied into the final stage'];
  const from = copy.flags['from'] === undefined ? undefined : stageNamed(stages, copy.flags['from']);
  if (!from) return ['COPY: dist/ must come from the build stage, not from the build context'];
  if (!from.instructions.some((i) => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.raw))) {
    return [`COPY: dist/ comes from stage ${from.name ?? from.index}, which does not run npm run build`];
  }
  return [];
}

function stageNamed(stages: readonly Stage[], ref: string): Stage | undefined {
  return stages.find((s) => s.name === ref) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
}

function installsPackages(command: string): boolean {
  return /\bnpm\s+(ci|install|i)\b/.test(command) || /\b(yarn|pnpm)\s+install\b/.test(command);
}

function omitsDev(command: string): boolean {
  return /--omit[= ]dev\b|--production\b|--only[= ]prod/.test(command);
}
