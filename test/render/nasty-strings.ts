/** Hostile and awkward strings for property-style tests: curated cases plus seeded random ones. */
const CURATED = [
  '',
  ' ',
  '-',
  '---',
  '...',
  '.',
  '_',
  'a',
  'A',
  '0',
  'main',
  'refs/heads/feature/Ünïcödé',
  'feature/JIRA-123_fix..things--',
  '-leading-and-trailing-',
  '__proto__',
  'constructor',
  'prototype',
  '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  'ml/nightly@2024-01-01T03:00:00.000Z',
  'a'.repeat(63),
  'a'.repeat(64),
  'A'.repeat(300),
  `${'a'.repeat(62)}-b`,
  `${'a'.repeat(52)}------------b`,
  '\u0000\u0001\u0002',
  '\u202Eevil\u202C',
  '😀😀😀',
  'İstanbul',
  'ß',
  '日本語のブランチ',
  '$(rm -rf /)',
  '${x}',
  '{{x}}',
  '"quoted"',
  "it's",
  'a: b',
  '- x',
  '# comment',
  '&anchor',
  '*alias',
  '!!python/object',
  '\n\r\t',
  'x'.repeat(10_000),
];

/** A small deterministic PRNG (mulberry32), so failures reproduce. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = 'abcXYZ019-_./:@ \u00e9\u0130\u{1F600}\u0000\n"\'#&*!{}[]$';

export function nastyStrings(randomCount = 300, seed = 1123): string[] {
  const next = random(seed);
  const chars = [...ALPHABET];
  const generated = Array.from({ length: randomCount }, () => {
    const length = Math.floor(next() * 90);
    return Array.from({ length }, () => chars[Math.floor(next() * chars.length)]).join('');
  });
  return [...CURATED, ...generated];
}
