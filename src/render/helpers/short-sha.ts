import { positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{shortSha git.sha}}`: the first 7 characters of a commit SHA. */
export const shortSha: TemplateHelper = (...args) => text(positional(args)[0], 'shortSha').slice(0, 7);
