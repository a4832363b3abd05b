/**
 * A small Dockerfile reader for the image tests (no Dockerfile parser is a dependency): comment
 * lines, line continuations with a trailing backslash, JSON (exec) form arguments, stages with
 * their names, and `${ARG}` substitution in FROM from the global ARGs declared before it.
 * Heredocs and a custom `# escape=` directive are not supported; the parser says so instead of
 * misreading them.
 */
export interface Instruction {
  /** Upper case: FROM, RUN, COPY, … */
  readonly keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  readonly raw: string;
  /** The arguments when written in JSON (exec) form, e.g. ENTRYPOINT ["node", "dist/cli.js"]. */
  readonly json: readonly string[] | undefined;
  /** `--from=build`, `--chown=…`: flags before the arguments (COPY, ADD, FROM, RUN). */
  readonly flags: Readonly<Record<string, string>>;
  /** The arguments after the flags, split on white space (shell form). */
  readonly args: readonly string[];
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

export interface Stage {
  /** The image, with global ARGs substituted. */
  readonly image: string;
  readonly name: string | undefined;
  readonly index: number;
  readonly instructions: readonly Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  readonly globalArgs: Readonly<Record<string, string>>;
  readonly stages: readonly Stage[];
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions = readInstructions(text);
  const globalArgs: Record<string, string> = {};
  const stages: { image: string; name: string | undefined; index: number; instructions: Instruction[] }[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const [image, as, name] = instruction.args;
      if (image === undefined) throw new Error(`line ${instruction.line}: FROM without an image`);
      if (as !== undefined && (as.toUpperCase() !== 'AS' || name === undefined)) {
        throw new Error(`line ${instruction.line}: expected FROM image [AS name]`);
      }
      stages.push({ image: substitute(image, globalArgs), name, index: stages.length, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage) {
      stage.instructions.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      for (const arg of instruction.args) {
        const [key = '', value = ''] = splitOnce(arg, '=');
        globalArgs[key] = value;
      }
    } else {
      throw new Error(`line ${instruction.line}: ${instruction.keyword} before the first FROM`);
    }
  }
  return { globalArgs, stages };
}

function readInstructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const out: Instruction[] = [];
  let parts: string[] = [];
  let start = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^\s*#\s*escape\s*=/i.test(line) && out.length === 0 && parts.length === 0) {
      throw new Error('the escape parser directive is not supported');
    }
    if (/^\s*#/.test(line)) continue; // comments, also between continuation lines
    if (parts.length === 0 && line.trim() === '') continue;
    if (parts.length === 0) start = i + 1;
    const continued = /\\\s*$/.test(line);
    parts.push(continued ? line.replace(/\\\s*$/, '') : line);
    if (continued) continue;
    out.push(instruction(parts.join(' ').trim(), start));
    parts = [];
  }
  if (parts.length > 0) out.push(instruction(parts.join(' ').trim(), start));
  return out;
}

function instruction(text: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  const keyword = (match?.[1] ?? '').toUpperCase();
  const raw = (match?.[2] ?? '').trim();
  if (/<<-?\s*["']?\w+/.test(raw) && (keyword === 'RUN' || keyword === 'COPY')) {
    throw new Error(`line ${line}: heredocs are not supported`);
  }
  const words = raw.split(/\s+/).filter((w) => w !== '');
  const flags: Record<string, string> = {};
  while (words[0]?.startsWith('--')) {
    const [key = '', value = 'true'] = splitOnce(words.shift()!.slice(2), '=');
    flags[key] = value;
  }
  const rest = words.join(' ');
  return { keyword, raw, json: jsonForm(rest), flags, args: words, line };
}

/** JSON form is a JSON array of strings; anything else (even starting with `[`) is shell form. */
function jsonForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}

function substitute(text: string, args: Readonly<Record<string, string>>): string {
  return text.replace(/\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const key = braced ?? bare ?? '';
    const value = args[key];
    return value !== undefined && value !== '' ? value : (fallback ?? '');
  });
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}
