/**
 * go-bexpr's `matches` uses Go's RE2 syntax. Most of it is JavaScript syntax too; this translates
 * the parts that are not: a leading flag group `(?ims)`, `\A` and `\z`, `(?P<name>…)`, one-letter
 * Unicode classes `\pL`, POSIX classes `[[:alpha:]]` and `\Q…\E` quoting. Compiled with the `u` flag
 * when the pattern allows it (RE2 is Unicode-aware), else without. Throws on what neither accepts.
 */
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\x2F:-@\\x5B-\\x60{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export function compileGoRegExp(source: string): RegExp {
  const flagGroup = /^\(\?([a-zA-Z]+)\)/.exec(source);
  const goFlags = flagGroup?.[1] ?? '';
  const unsupported = [...goFlags].filter((flag) => !'ims'.includes(flag));
  if (unsupported.length > 0) throw new Error(`flag ${unsupported.join('')} is not supported`);
  const pattern = translate(source.slice(flagGroup?.[0].length ?? 0));
  try {
    return new RegExp(pattern, `${goFlags}u`);
  } catch {
    try {
      return new RegExp(pattern, goFlags);
    } catch (error) {
      throw new Error((error as Error).message.replace(/^Invalid regular expression: /, ''), { cause: error });
    }
  }
}

function translate(source: string): string {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    const next = source[i + 1] ?? '';
    if (char === '\\' && next === 'Q') {
      const end = source.indexOf('\\E', i + 2);
      const quoted = source.slice(i + 2, end === -1 ? undefined : end);
      out += quoted.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
      i = end === -1 ? source.length : end + 2;
    } else if (char === '\\') {
      out += escapeSequence(next, source[i + 2], inClass);
      i += (next === 'p' || next === 'P') && source[i + 2] !== '{' ? 3 : 2;
    } else if (!inClass && source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 4;
    } else if (!inClass && char === '[') {
      inClass = true;
      const negated = next === '^';
      out += negated ? '[^' : '[';
      i += negated ? 2 : 1;
      if (source[i] === ']') {
        out += '\\]';
        i += 1;
      }
    } else if (inClass && source.startsWith('[:', i)) {
      const posix = /^\[:([a-z]+):\]/.exec(source.slice(i));
      const range = posix ? POSIX_CLASSES[posix[1] as string] : undefined;
      out += range ?? '\\[';
      i += range === undefined ? 1 : (posix as RegExpExecArray)[0].length;
    } else {
      if (inClass && char === ']') inClass = false;
      out += char;
      i += 1;
    }
  }
  return out;
}

function escapeSequence(next: string, after: string | undefined, inClass: boolean): string {
  if (!inClass && next === 'A') return '(?<![\\s\\S])';
  if (!inClass && next === 'z') return '(?![\\s\\S])';
  if ((next === 'p' || next === 'P') && after !== '{') return `\\${next}{${after ?? ''}}`;
  return `\\${next}`;
}
