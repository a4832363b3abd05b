/**
 * Settles `metadata.name` of a rendered run. An explicit name is kept (and must be a DNS-1123
 * subdomain); a `generateName` becomes the deterministic runName(generateName, identity), so the
 * same event for the same run configuration always names the same run; with neither, the context's
 * name is used. `generateName` is removed: runbridge never lets the API server pick.
 */
import { RenderError } from '../errors.ts';
import { isDns1123Subdomain } from './kubernetes-names.ts';
import { runName } from './run-name.ts';

export function assignRunName(
  metadata: Record<string, unknown>,
  naming: { readonly identity: string; readonly fallbackName: string },
): Record<string, unknown> & { name: string } {
  const { name: explicit, generateName, ...rest } = metadata;
  let name: string;
  if (explicit !== undefined && explicit !== null && explicit !== '') {
    if (typeof explicit !== 'string' || !isDns1123Subdomain(explicit)) {
      throw new RenderError(`metadata.name ${JSON.stringify(explicit)} is not a valid DNS-1123 subdomain (lowercase alphanumerics, '-' and '.')`);
    }
    name = explicit;
  } else if (typeof generateName === 'string' && generateName !== '') {
    name = runName(generateName.replace(/-+$/, ''), naming.identity);
  } else if (generateName !== undefined && generateName !== null && generateName !== '') {
    throw new RenderError('metadata.generateName must be text');
  } else {
    name = naming.fallbackName;
  }
  return { name, ...rest };
}
