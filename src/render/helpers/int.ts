import { RenderError } from '../../errors.ts';
import { positional, type TemplateHelper } from './helper-args.ts';

/**
 * `retries: {{int params.retries}}`: decimal digits as a number, so the field is rendered as a YAML
 * integer rather than a string. Anything else is a render error.
 */
export const int: TemplateHelper = (...args) => {
  const value = positional(args)[0];
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  throw new RenderError(`helper int: ${JSON.stringify(value) ?? 'undefined'} is not an integer`);
};
