import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RenderError } from '../../src/errors.ts';
import { ShapeCache } from '../../src/render/shape-cache.ts';
import { newSlotMarker } from '../../src/render/slot-marker.ts';

/** What a render of `a: {{x}}\nb: [{{y}}]` emits with a given marker. */
const text = (marker: string, extra = ''): string => `a: ${marker}0x\nb: [${marker}1x]${extra}\n`;

describe('ShapeCache', () => {
  test('renders with the same structure share one parsed skeleton, whatever their nonces', () => {
    const cache = new ShapeCache(4);
    const m1 = newSlotMarker();
    const m2 = newSlotMarker();
    assert.notEqual(m1, m2);
    const first = cache.skeletonOf(text(m1), m1, 2);
    assert.equal(cache.skeletonOf(text(m2), m2, 2), first);
    assert.equal(cache.size, 1);
    assert.deepEqual(first, {
      kind: 'map',
      keys: [{ kind: 'literal', value: 'a' }, { kind: 'literal', value: 'b' }],
      values: [{ kind: 'slot', index: 0 }, { kind: 'seq', items: [{ kind: 'slot', index: 1 }] }],
      staticKeys: ['a', 'b'],
    });
  });

  test('a different structure is parsed and remembered; the oldest is forgotten beyond capacity', () => {
    const cache = new ShapeCache(2);
    const m = newSlotMarker();
    const base = cache.skeletonOf(text(m), m, 2);
    const other = cache.skeletonOf(text(m, '\nc: 1'), m, 2);
    assert.notEqual(other, base);
    cache.skeletonOf(text(m, '\nd: 1'), m, 2);
    assert.equal(cache.size, 2);
    assert.notEqual(cache.skeletonOf(text(m), m, 2), base, 'evicted, so parsed again');
  });

  const refused: [string, () => void, RegExp][] = [
    ['a marker without this render’s nonce', () => new ShapeCache(2).skeletonOf('a: rbslotn0x\n', newSlotMarker(), 0), /did not emit/],
    ['a foreign nonce', () => { const m = newSlotMarker(); new ShapeCache(2).skeletonOf(`a: ${m}0x\nb: ${newSlotMarker()}1x\n`, m, 1); }, /did not emit/],
    ['fewer markers in the text than emitted', () => { const m = newSlotMarker(); new ShapeCache(2).skeletonOf(`a: ${m}0x\n`, m, 2); }, /does not hold the slot markers/],
    ['markers out of order', () => { const m = newSlotMarker(); new ShapeCache(2).skeletonOf(`a: ${m}1x\nb: ${m}0x\n`, m, 2); }, /out of order/],
  ];
  for (const [name, run, message] of refused) {
    test(`refuses ${name}`, () => assert.throws(run, (e: unknown) => e instanceof RenderError && message.test(e.message)));
  }

  test('a cached structure is still refused when this render emitted fewer markers than it holds', () => {
    const cache = new ShapeCache(2);
    const m = newSlotMarker();
    cache.skeletonOf(text(m), m, 2);
    assert.throws(() => cache.skeletonOf(text(m), m, 1), RenderError);
  });
});

test('a very long rendering is parsed but not remembered, so the cache stays small', () => {
  const cache = new ShapeCache(4);
  const m = newSlotMarker();
  const long = text(m, `\nc: "${'y'.repeat(70 * 1024)}"`);
  assert.notEqual(cache.skeletonOf(long, m, 2), cache.skeletonOf(long, m, 2));
  assert.equal(cache.size, 0);
});
