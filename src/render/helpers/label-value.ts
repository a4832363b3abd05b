import { labelSafe } from '../label-safe.ts';
import { positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{labelValue value}}`: a valid Kubernetes label value; valid input unchanged, anything else shaped and hashed. */
export const labelValue: TemplateHelper = (...args) => labelSafe(text(positional(args)[0], 'labelValue'));
