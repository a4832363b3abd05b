import { positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{lower git.repository}}`. */
export const lower: TemplateHelper = (...args) => text(positional(args)[0], 'lower').toLowerCase();

/** `{{upper params.env}}`. */
export const upper: TemplateHelper = (...args) => text(positional(args)[0], 'upper').toUpperCase();
