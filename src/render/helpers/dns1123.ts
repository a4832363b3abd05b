import { RenderError } from '../../errors.ts';
import { dns1123Label, DNS1123_LABEL_MAX } from '../dns1123-label.ts';
import { count, positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{dns1123 value [maxLength]}}`: any text shaped into a DNS-1123 label (default ≤ 63 characters). */
export const dns1123: TemplateHelper = (...args) => {
  const [value, max] = positional(args);
  const maxLength = max === undefined ? DNS1123_LABEL_MAX : count(max, 'dns1123');
  if (maxLength < 1 || maxLength > DNS1123_LABEL_MAX) {
    throw new RenderError(`helper dns1123: the maximum length must be from 1 to ${DNS1123_LABEL_MAX}, got ${maxLength}`);
  }
  return dns1123Label(text(value, 'dns1123'), maxLength);
};
