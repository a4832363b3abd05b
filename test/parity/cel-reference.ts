/**
 * cel-go's answers, from test/servers/cel-reference: one process for a whole corpus, one JSON
 * line in and one out per expression.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureReference } from '../../scripts/test-servers.ts';

export interface CelCase {
  readonly expr: string;
  readonly vars: { readonly event: object; readonly git: object; readonly payload: object };
}

/** true, false, or an error at compile or evaluation time: what a `when` can come to. */
export type CelVerdict = { readonly result: boolean } | { readonly error: string; readonly phase: string };

export async function evaluateWithCelGo(cases: readonly CelCase[]): Promise<CelVerdict[]> {
  const binary = process.env['RUNBRIDGE_CEL_REFERENCE_BIN'] ?? (await ensureReference('cel-reference'));
  const input = cases.map((c) => JSON.stringify(c)).join('\n') + '\n';
  const child = promisify(execFile)(binary, [], { maxBuffer: 256 * 2 ** 20 });
  child.child.stdin?.end(input);
  const { stdout } = await child;
  const lines = stdout.trimEnd().split('\n');
  if (lines.length !== cases.length) throw new Error(`cel-reference answered ${lines.length} lines for ${cases.length} expressions`);
  return lines.map((line) => JSON.parse(line) as CelVerdict);
}
