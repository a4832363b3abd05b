import { count, positional, text, type TemplateHelper } from './helper-args.ts';

/** `{{truncate git.headCommitMessage 60}}`: at most that many characters (UTF-16 code units). */
export const truncate: TemplateHelper = (...args) => {
  const [value, length] = positional(args);
  return text(value, 'truncate').slice(0, count(length, 'truncate'));
};
