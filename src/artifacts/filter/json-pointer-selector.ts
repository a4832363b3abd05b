import type { StringToken, Token } from './tokenize-filter.ts';

/**
 * go-bexpr's second selector form: a JSON pointer in double quotes, `"/labels/team"`. Its segments
 * are letters, digits and `-_.~|` (no blanks, no escapes); `""` is the pointer to the root.
 */
const POINTER_BODY = /^(?:\/[\p{L}\p{N}\-_.~|]+)*$/u;

export function isPointerSelector(token: Token): token is StringToken {
  return token.kind === 'string' && token.quote === '"' && POINTER_BODY.test(token.body);
}

/** pointerstructure.Parse: split on "/", then unescape ~1 → "/" and ~0 → "~" (RFC 6901). */
export function pointerParts(body: string): string[] {
  return body
    .slice(1)
    .split('/')
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}
