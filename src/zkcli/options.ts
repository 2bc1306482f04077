/**
 * Apache commons-cli's DefaultParser as zkCli 3.8 uses it: short options (with or without an
 * argument), option groups, bursting (`-sw`), attached values (`-v3`), `--`, negative numbers
 * taken as arguments, and the exception texts zkCli prints (`toString()` of the
 * ParseException: class name, colon, message).
 */

export interface OptionSpec {
  readonly name: string;
  readonly hasArg: boolean;
  readonly description?: string;
}

export interface OptionsSpec {
  readonly options: readonly OptionSpec[];
  /** an OptionGroup: at most one of these; `required` demands one */
  readonly group?: { readonly names: readonly string[]; readonly required: boolean };
}

export interface ParsedCommandLine {
  readonly args: string[];
  has(name: string): boolean;
  value(name: string): string | undefined;
}

export class ParseError extends Error {
  constructor(readonly className: string, message: string) {
    super(message);
  }

  /** What `System.err.println(cliException.getMessage())` shows: the cause's toString(). */
  display(): string {
    return `org.apache.commons.cli.${this.className}: ${this.message}`;
  }
}

function isNegativeNumber(token: string): boolean {
  return /^-\d+(\.\d+)?$/.test(token) || /^-\.\d+$/.test(token);
}

export function parseOptions(spec: OptionsSpec, tokens: readonly string[]): ParsedCommandLine {
  const byName = new Map(spec.options.map((o) => [o.name, o]));
  const values = new Map<string, string | null>();
  const args: string[] = [];
  let current: OptionSpec | null = null;
  let onlyArgs = false;
  const selectInGroup = (o: OptionSpec): void => {
    const g = spec.group;
    if (!g || !g.names.includes(o.name)) return;
    const selected = g.names.find((n) => n !== o.name && values.has(n));
    if (selected !== undefined) {
      throw new ParseError('AlreadySelectedException', `The option '${o.name}' was specified but an option from this group has already been selected: '${selected}'`);
    }
  };
  const startOption = (o: OptionSpec): void => {
    if (current) throw new ParseError('MissingArgumentException', `Missing argument for option: ${current.name}`);
    selectInGroup(o);
    values.set(o.name, null);
    current = o.hasArg ? o : null;
  };
  /** DefaultParser.isShortOption: -S, -SV, or several flags whose first is known */
  const isOptionToken = (token: string): boolean => {
    if (!token.startsWith('-') || token.length === 1) return false;
    const name = token.slice(1).split('=')[0];
    return byName.has(name) || (name.length > 0 && byName.has(name.charAt(0)));
  };
  for (const token of tokens) {
    if (onlyArgs) {
      args.push(token);
      continue;
    }
    const cur = current as OptionSpec | null;
    if (cur && (!isOptionToken(token) || isNegativeNumber(token))) {
      values.set(cur.name, token);
      current = null;
      continue;
    }
    if (token === '--') {
      onlyArgs = true;
      continue;
    }
    if (token === '-' || !token.startsWith('-')) {
      args.push(token);
      continue;
    }
    if (token.startsWith('--')) throw new ParseError('UnrecognizedOptionException', `Unrecognized option: ${token}`);
    const t = token.slice(1);
    const opt = byName.get(t);
    if (opt) {
      startOption(opt);
      continue;
    }
    // -v3 (a value attached) or -sw (several flags): handleConcatenatedOptions
    for (let i = 0; i < t.length; i++) {
      const o = byName.get(t.charAt(i));
      if (!o) throw new ParseError('UnrecognizedOptionException', `Unrecognized option: ${token}`);
      startOption(o);
      if (o.hasArg && i + 1 < t.length) {
        values.set(o.name, t.slice(i + 1));
        current = null;
        break;
      }
    }
  }
  const last = current as OptionSpec | null;
  if (last) throw new ParseError('MissingArgumentException', `Missing argument for option: ${last.name}`);
  const g = spec.group;
  if (g && g.required && !g.names.some((n) => values.has(n))) {
    const described = g.names.map((n) => `-${n} ${byName.get(n)?.description ?? ''}`.trimEnd()).join(', ');
    throw new ParseError('MissingOptionException', `Missing required option: [${described}]`);
  }
  return {
    args,
    has: (name) => values.has(name),
    value: (name) => values.get(name) ?? undefined,
  };
}

/**
 * ZooKeeperMain.MyCommandOptions.parseCommand: words are runs of non-space characters or
 * "..." / '...' groups; surrounding quotes are removed; there are no escapes.
 */
export function tokenizeCommand(line: string): string[] {
  const re = /\s*([^"']\S*|"[^"]*"|'[^']*')\s*/g;
  const out: string[] = [];
  let m: RegExpExecArray | null;
  for (let guard = 0; (m = re.exec(line)) !== null && guard < 100_000; guard++) {
    let value = m[1];
    if (/^(['"])([\s\S]*)\1$/.test(value)) value = value.slice(1, -1);
    out.push(value);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}
