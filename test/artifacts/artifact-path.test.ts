import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RunbridgeError } from '../../src/errors.ts';
import { ArtifactPathError } from '../../src/artifacts/artifact-path-error.ts';
import { ARTIFACT_PATH_PATTERN, parseArtifactPath, validateArtifactPath } from '../../src/artifacts/artifact-path.ts';

/** [path, component, output, index, filter source]. */
const VALID: readonly (readonly [string, string, string, number, string | undefined])[] = [
  ['Pusher:pushed_model:0[pushed == 1]', 'Pusher', 'pushed_model', 0, 'pushed == 1'],
  ['Pusher:pushed_model', 'Pusher', 'pushed_model', 0, undefined],
  ['Pusher:pushed_model:', 'Pusher', 'pushed_model', 0, undefined],
  ['Pusher:pushed_model:2', 'Pusher', 'pushed_model', 2, undefined],
  ['Pusher:pushed_model:007', 'Pusher', 'pushed_model', 7, undefined],
  ['Pusher:pushed_model[pushed == 1]', 'Pusher', 'pushed_model', 0, 'pushed == 1'],
  ['Pusher:pushed_model:[pushed == 1]', 'Pusher', 'pushed_model', 0, 'pushed == 1'],
  ['Pusher:pushed_model:1[ pushed == 1 ]', 'Pusher', 'pushed_model', 1, ' pushed == 1 '],
  ['Trainer:model:0[a == "x" and b != 2]', 'Trainer', 'model', 0, 'a == "x" and b != 2'],
  ['Trainer:model:0["k" in tags]', 'Trainer', 'model', 0, '"k" in tags'],
  ['Trainer:model:0[x matches "re"]', 'Trainer', 'model', 0, 'x matches "re"'],
  ['my component:my output', 'my component', 'my output', 0, undefined],
];

/** [path, 1-based column of the problem, what it says]. */
const INVALID: readonly (readonly [string, number, RegExp])[] = [
  ['', 1, /artifact path is empty/],
  ['Pusher', 7, /expected ":<OUTPUT>"/],
  [':pushed_model', 1, /component name is missing/],
  ['Pusher:', 8, /output name is missing/],
  ['Pusher::0', 8, /output name is missing/],
  ['Pusher:pushed_model:x', 21, /index must be digits, found "x"/],
  ['Pusher:pushed_model:-1', 21, /index must be digits/],
  ['Pusher:pushed_model:1:2', 22, /index must be digits, found ":"/],
  ['Pusher:pushed_model[]', 21, /filter is empty/],
  ['Pusher:pushed_model[pushed == 1', 32, /filter is not closed/],
  ['Pusher:pushed_model[uri == "gs://b"]', 31, /":" is not allowed inside a filter/],
  ['Pusher:pushed_model[a[1] == 1]', 22, /"\[" is not allowed inside a filter/],
  ['Pusher:pushed_model[pushed == 1]x', 33, /unexpected "x" after the filter/],
  ['Pusher:pushed_model[a == 1][b == 2]', 28, /unexpected "\[b == 2\]" after the filter/],
  ['Pusher[0]:pushed_model', 7, /unexpected "\[" in the component name/],
  ['Pusher:pushed_model]', 20, /unexpected "\]" after the output name/],
];

/** Paths KFP-Operator's pattern accepts but whose filter does not parse: [path, column, reason]. */
const BAD_FILTER: readonly (readonly [string, number, RegExp])[] = [
  ['Pusher:pushed_model:0[pushed ==]', 32, /filter: expected a value/],
  ['Pusher:pushed_model:0[pushed = 1]', 30, /filter: unexpected character "="/],
  ['Pusher:pushed_model[(pushed == 1]', 33, /filter: unmatched "\("/],
  ['Pusher:pushed_model[ ]', 22, /filter: empty expression/],
];

describe('parseArtifactPath', () => {
  for (const [path, component, output, index, filter] of VALID) {
    test(`parses ${path}`, () => {
      assert.ok(ARTIFACT_PATH_PATTERN.test(path), 'KFP-Operator accepts it too');
      const parsed = parseArtifactPath(path);
      assert.deepEqual(
        { component: parsed.component, output: parsed.output, index: parsed.index, source: parsed.source },
        { component, output, index, source: path },
      );
      assert.equal(parsed.filter?.source, filter);
      assert.equal(validateArtifactPath(path), undefined);
    });
  }

  for (const [path, column, reason] of INVALID) {
    test(`rejects ${JSON.stringify(path)} at column ${column}`, () => {
      assert.equal(ARTIFACT_PATH_PATTERN.test(path), false, 'KFP-Operator rejects it too');
      assertRejected(path, column, reason);
    });
  }

  for (const [path, column, reason] of BAD_FILTER) {
    test(`rejects the filter of ${path} at column ${column}`, () => {
      assert.ok(ARTIFACT_PATH_PATTERN.test(path));
      assertRejected(path, column, reason);
    });
  }

  test('an index beyond safe integers is rejected', () => {
    assertRejected('A:b:99999999999999999999', 5, /index 99999999999999999999 is too large/);
  });

  test('errors are typed, with the path and the position', () => {
    const error = catchError(() => parseArtifactPath('Pusher:pushed_model:x'));
    assert.ok(error instanceof ArtifactPathError);
    assert.ok(error instanceof RunbridgeError);
    assert.equal(error.code, 'RB_ARTIFACT_PATH');
    assert.equal(error.status, 422);
    assert.equal(error.path, 'Pusher:pushed_model:x');
    assert.equal(error.position, 20);
    assert.equal(error.message, 'invalid artifact path "Pusher:pushed_model:x": index must be digits, found "x" at column 21');
  });

  test('a filter error keeps the filter error as its cause', () => {
    const error = catchError(() => parseArtifactPath('A:b[x ==]'));
    assert.ok(error instanceof ArtifactPathError);
    assert.equal((error.cause as { name?: string } | undefined)?.name, 'FilterSyntaxError');
  });

  test('the parsed path is frozen and its filter evaluates', () => {
    const parsed = parseArtifactPath('Pusher:pushed_model:0[pushed == 1]');
    assert.ok(Object.isFrozen(parsed));
    assert.equal(parsed.filter?.evaluate({ pushed: 1 }), true);
    assert.equal(parsed.filter?.evaluate({ pushed: 0 }), false);
  });
});

function assertRejected(path: string, column: number, reason: RegExp): void {
  const error = catchError(() => parseArtifactPath(path));
  assert.ok(error instanceof ArtifactPathError, `expected ArtifactPathError, got ${String(error)}`);
  assert.equal(error.position, column - 1, error.message);
  assert.match(error.problem, reason);
  assert.ok(error.problem.endsWith(`at column ${column}`), error.problem);
  assert.equal(validateArtifactPath(path), error.problem);
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  assert.fail('expected an error');
}
