import { positional, type TemplateHelper } from './helper-args.ts';

/** `{{json value}}`: the value as JSON text (`"a\"b"`, `{"a":1}`); undefined → `null`. */
export const json: TemplateHelper = (...args) => JSON.stringify(positional(args)[0]) ?? 'null';
