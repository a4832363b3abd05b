/**
 * The image cannot be built on the machines the tests run on (no container engine), so the
 * Dockerfile's properties are checked on its text: multi-stage, every base pinned by digest, a
 * distroless Node 24 runtime (no shell, no npm, no package manager), numeric non-root USER, node as
 * PID 1 in exec form on dist/cli.js, no dev dependencies in the runtime stage, templates and
 * example configurations shipped without the sample secret, port 8080.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseDockerfile } from './parse-dockerfile.ts';
import { imageProblems } from './image-problems.ts';

const DOCKERFILE = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const DOCKERIGNORE = readFileSync(new URL('../../.dockerignore', import.meta.url), 'utf8');

describe('Dockerfile reader', () => {
  test('joins continuation lines, skips comments between them, reads JSON form and flags', () => {
    const parsed = parseDockerfile(
      [
        'ARG V=24.1.0',
        'FROM node:${V}-bookworm-slim AS build',
        'RUN npm ci \\',
        '  # a comment inside a continuation',
        '  && npm run build',
        'FROM node:${V}-slim',
        'COPY --from=build --chown=1:1 /app/dist ./dist',
        'ENTRYPOINT ["node", "dist/cli.js"]',
        'CMD serve --config x',
      ].join('\n'),
    );
    assert.deepEqual(parsed.globalArgs, { V: '24.1.0' });
    assert.deepEqual(
      parsed.stages.map((s) => [s.image, s.name]),
      [
        ['node:24.1.0-bookworm-slim', 'build'],
        ['node:24.1.0-slim', undefined],
      ],
    );
    const [run] = parsed.stages[0]!.instructions;
    assert.match(run?.raw ?? '', /^npm ci\s+&& npm run build$/);
    const [copy, entrypoint, cmd] = parsed.stages[1]!.instructions;
    assert.deepEqual(copy?.flags, { from: 'build', chown: '1:1' });
    assert.deepEqual(copy?.args, ['/app/dist', './dist']);
    assert.deepEqual(entrypoint?.json, ['node', 'dist/cli.js']);
    assert.equal(cmd?.json, undefined);
    assert.deepEqual(cmd?.args, ['serve', '--config', 'x']);
  });

  test('a bracket that is not a JSON array of strings is shell form', () => {
    const parsed = parseDockerfile('FROM a\nCMD [node, dist/cli.js]\nENTRYPOINT ["node", 1]');
    assert.deepEqual(
      parsed.stages[0]!.instructions.map((i) => i.json),
      [undefined, undefined],
    );
  });

  test('refuses what it does not understand instead of misreading it', () => {
    assert.throws(() => parseDockerfile('RUN true\nFROM a'), /before the first FROM/);
    assert.throws(() => parseDockerfile('# escape=`\nFROM a'), /escape/);
    assert.throws(() => parseDockerfile('FROM a\nRUN <<EOF\necho\nEOF'), /heredocs/);
  });
});

describe('the runbridge Dockerfile', () => {
  const parsed = parseDockerfile(DOCKERFILE);

  test('has every property the image needs', () => {
    assert.deepEqual(imageProblems(parsed), []);
  });

  test('every base pinned by digest: Node 24 slim to build, distroless Node 24 (no shell, no package manager) to run', () => {
    const [build, deps, final] = parsed.stages;
    assert.match(build?.image ?? '', /^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    assert.equal(deps?.image, build?.image);
    assert.match(final?.image ?? '', /^gcr\.io\/distroless\/nodejs24-debian12:nonroot@sha256:[0-9a-f]{64}$/);
  });

  test('final stage: numeric non-root user, node on dist/cli.js', () => {
    const final = parsed.stages.at(-1)!;
    const user = final.instructions.filter((i) => i.keyword === 'USER').at(-1);
    assert.equal(user?.raw, '65532:65532');
    const entrypoint = final.instructions.find((i) => i.keyword === 'ENTRYPOINT');
    assert.deepEqual(entrypoint?.json, ['/nodejs/bin/node', '--enable-source-maps', '--max-semi-space-size=16', 'dist/cli.js']);
    const cmd = final.instructions.find((i) => i.keyword === 'CMD');
    assert.deepEqual(cmd?.json, ['serve', '--config', '/etc/runbridge/config.yaml']);
    assert.equal(final.instructions.some((i) => i.keyword === 'HEALTHCHECK'), false);
  });

  test('the final stage runs nothing at build time: everything it needs is copied', () => {
    const final = parsed.stages.at(-1)!;
    assert.deepEqual(final.instructions.filter((i) => i.keyword === 'RUN'), []);
  });

  test('the build context leaves out node_modules (with the npm-packaged node), dist, tests and VCS data', () => {
    const ignored = new Set(DOCKERIGNORE.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
    for (const entry of ['node_modules', 'dist', '.git', 'test', 'examples/runs', 'examples/.runbridge', 'examples/*.secret']) {
      assert.ok(ignored.has(entry), `.dockerignore should list ${entry}`);
    }
    for (const shipped of ['src', 'templates', 'examples', 'package.json', 'package-lock.json']) {
      assert.equal(ignored.has(shipped), false, `.dockerignore must not exclude ${shipped}`);
    }
  });
});

describe('what a broken Dockerfile is told', () => {
  const GOOD = DOCKERFILE;
  const cases: { name: string; edit: (text: string) => string; problem: RegExp }[] = [
    { name: 'single stage', edit: () => 'FROM node:24-slim\nUSER 1000\nEXPOSE 8080\nENTRYPOINT ["node", "dist/cli.js"]', problem: /multi-stage/ },
    { name: 'unpinned final image', edit: (t) => t.replace(/FROM \$\{RUNTIME_IMAGE\} AS runtime/, 'FROM node:latest AS runtime'), problem: /final FROM/ },
    { name: 'Node 22 final image', edit: (t) => t.replace(/FROM \$\{RUNTIME_IMAGE\} AS runtime/, 'FROM node:22-slim AS runtime'), problem: /final FROM/ },
    { name: 'full (not slim) final image', edit: (t) => t.replace(/FROM \$\{RUNTIME_IMAGE\} AS runtime/, 'FROM node:24-bookworm AS runtime'), problem: /final FROM/ },
    { name: 'named user', edit: (t) => t.replace('USER 65532:65532', 'USER node'), problem: /USER: expected a numeric user/ },
    { name: 'root user', edit: (t) => t.replace('USER 65532:65532', 'USER 0:0'), problem: /root/ },
    { name: 'no user', edit: (t) => t.replace('USER 65532:65532', ''), problem: /USER/ },
    { name: 'shell-form entrypoint', edit: (t) => t.replace(/ENTRYPOINT .*/, 'ENTRYPOINT node dist/cli.js'), problem: /ENTRYPOINT: expected exec/ },
    { name: 'npm as PID 1', edit: (t) => t.replace(/ENTRYPOINT .*/, 'ENTRYPOINT ["npm", "start"]'), problem: /package manager/ },
    { name: 'shell wrapper', edit: (t) => t.replace(/ENTRYPOINT .*/, 'ENTRYPOINT ["/bin/sh", "-c", "node dist/cli.js"]'), problem: /ENTRYPOINT: expected node/ },
    { name: 'entrypoint on the sources', edit: (t) => t.replace(/ENTRYPOINT .*/, 'ENTRYPOINT ["node", "src/cli.ts"]'), problem: /does not run dist\/cli\.js/ },
    { name: 'npm in CMD', edit: (t) => t.replace(/^CMD .*/m, 'CMD ["npm", "start"]'), problem: /CMD: runs a package manager/ },
    { name: 'dev dependencies in the runtime', edit: (t) => t.replace('npm ci --omit=dev', 'npm ci'), problem: /installs dev dependencies/ },
    { name: 'npm install in the final stage', edit: (t) => t.replace('USER 65532:65532', 'RUN npm install\nUSER 65532:65532'), problem: /final stage installs dev dependencies/ },
    { name: 'templates not shipped', edit: (t) => t.replace('COPY templates ./templates', ''), problem: /templates\/ is not copied/ },
    { name: 'examples not shipped', edit: (t) => t.replace('COPY examples/*.yaml ./examples/', ''), problem: /examples\/ is not copied/ },
    { name: 'attack: a build stage on a tag someone can move', edit: (t) => t.replace(/^ARG NODE_IMAGE=(\S+)@sha256:[0-9a-f]{64}$/m, 'ARG NODE_IMAGE=$1'), problem: /FROM: node:24\S+ \(stage build\) is not pinned by digest/ },
    { name: 'attack: a final image on a tag someone can move', edit: (t) => t.replace(/^ARG RUNTIME_IMAGE=(\S+)@sha256:[0-9a-f]{64}$/m, 'ARG RUNTIME_IMAGE=$1'), problem: /\(stage runtime\) is not pinned by digest/ },
    { name: 'attack: npm in the runtime (a Node slim final image)', edit: (t) => t.replace('FROM ${RUNTIME_IMAGE} AS runtime', 'FROM ${NODE_IMAGE} AS runtime'), problem: /ships npm, npx, corepack, apt and dpkg/ },
    { name: 'attack: npm copied into the runtime', edit: (t) => t.replace('USER 65532:65532', 'COPY --from=build /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm\nUSER 65532:65532'), problem: /brings a package manager/ },
    { name: "attack: the quickstart's published secret shipped with the whole examples directory", edit: (t) => t.replace('COPY examples/*.yaml ./examples/', 'COPY examples ./examples'), problem: /published sample secret/ },
    { name: 'attack: a secret file copied in', edit: (t) => t.replace('COPY templates ./templates', 'COPY templates ./templates\nCOPY examples/quickstart.secret ./examples/'), problem: /quickstart\.secret puts a secret file into the image/ },
    { name: 'no EXPOSE 8080', edit: (t) => t.replace('EXPOSE 8080', 'EXPOSE 3000'), problem: /8080/ },
    { name: 'shell-form HEALTHCHECK', edit: (t) => t.replace('EXPOSE 8080', 'EXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/healthz'), problem: /HEALTHCHECK/ },
    { name: 'dist from the build context', edit: (t) => t.replace('COPY --from=build /app/dist ./dist', 'COPY dist ./dist'), problem: /dist\/ must come from the build stage/ },
    { name: 'build stage without npm run build', edit: (t) => t.replace('RUN npm run build', 'RUN npx tsc'), problem: /does not run npm run build/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const text = c.edit(GOOD);
      assert.notEqual(text, GOOD, 'the edit changed nothing: the case is stale');
      const problems = imageProblems(parseDockerfile(text));
      assert.ok(problems.some((p) => c.problem.test(p)), `expected a problem matching ${c.problem}, got ${JSON.stringify(problems)}`);
    });
  }

  test('an exec-form HEALTHCHECK is accepted', () => {
    const text = GOOD.replace('EXPOSE 8080', 'EXPOSE 8080\nHEALTHCHECK --interval=30s CMD ["node", "-e", "fetch(\'http://127.0.0.1:8080/healthz\')"]');
    assert.deepEqual(imageProblems(parseDockerfile(text)), []);
  });
});
