/** Every helper a template may call, by the name templates use. Documented in docs/templates.md. */
import type { TemplateHelper } from './helper-args.ts';
import { concat } from './concat.ts';
import { defaultValue } from './default-value.ts';
import { dns1123 } from './dns1123.ts';
import { int } from './int.ts';
import { json } from './json.ts';
import { labelValue } from './label-value.ts';
import { lower, upper } from './letter-case.ts';
import { and, eq, ne, not, or } from './logic.ts';
import { shortSha } from './short-sha.ts';
import { trimPrefix } from './trim-prefix.ts';
import { truncate } from './truncate.ts';
import { without } from './without.ts';

export const TEMPLATE_HELPERS: Readonly<Record<string, TemplateHelper>> = Object.freeze({
  json,
  dns1123,
  labelValue,
  shortSha,
  default: defaultValue,
  truncate,
  lower,
  upper,
  concat,
  eq,
  ne,
  and,
  or,
  not,
  trimPrefix,
  without,
  int,
});
