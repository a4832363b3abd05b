import { spawn } from 'node:child_process';

/**
 * Runs a reference program (test/servers/*-reference) over JSON lines: writes every request, closes
 * stdin and returns one parsed answer a request, in order.
 */
export async function runReference<Answer>(binary: string, requests: readonly unknown[]): Promise<Answer[]> {
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('close', done);
  });
  child.stdin.end(requests.map((request) => `${stringifyJson(request)}\n`).join(''));
  const code = await exited;
  if (code !== 0) throw new Error(`${binary} exited with code ${code}`);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((line) => line !== '');
  if (lines.length !== requests.length) throw new Error(`${binary} answered ${lines.length} of ${requests.length} requests`);
  return lines.map((line) => JSON.parse(line) as Answer);
}

const rawJson = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** JSON text with bigints written as integer literals. */
export function stringifyJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? rawJson(item.toString()) : item));
}

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

/** JSON.parse keeping integers beyond 2^53 exact, as bigints. */
export function parseJsonExact(text: string): unknown {
  const reviver: Reviver = (_key, value, context) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && /^-?[0-9]+$/.test(context.source)
      ? BigInt(context.source)
      : value;
  return JSON.parse(text, reviver as Parameters<typeof JSON.parse>[1]);
}

/** A small deterministic generator (mulberry32), so a failing case can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** The environment variable naming a reference binary, which `npm test` sets. */
export function referenceBinary(variable: string): string | undefined {
  const path = process.env[variable];
  return path === undefined || path === '' ? undefined : path;
}
