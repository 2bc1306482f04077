/**
 * The slice of Apache commons-cli 1.5.0 (Debian bookworm's libcommons-cli-java, what zkCli 3.8.0
 * runs with) that zkCli's commands use: `Options` of short options, required `OptionGroup`s, and
 * `DefaultParser.parse(options, args)` with stopAtNonOption = false.
 *
 * Behaviour reproduced from DefaultParser.handleToken and friends:
 * - words that are not options become arguments and parsing goes on, so options may follow
 *   arguments (`deleteall /big -b 2`); `--` turns every later word into an argument; `-` alone is
 *   an argument;
 * - an option with a value takes the next word unless that word looks like an option (a known
 *   option letter after `-`) and is not a number (`-v -1` is a value, `-v -s` is not);
 * - `-vVALUE`, `-v=VALUE` and bundles `-sw` work; a bundle with an unknown letter, or any unknown
 *   `-x`/`--x`, fails with UnrecognizedOptionException naming the whole word;
 * - an option still waiting for its value when the next option (or the end) comes fails with
 *   MissingArgumentException; a second option of a group fails with AlreadySelectedException
 *   (the same option again is fine); a required group never seen fails with
 *   MissingOptionException.
 * No zkCli option has a long name, so the long-option paths all end in "unrecognized".
 */
import { isJavaDouble } from './java-number.ts';

export interface OptionDef {
  readonly opt: string;
  readonly hasArg: boolean;
  readonly description: string;
}

export interface OptionGroupDef {
  readonly options: readonly OptionDef[];
  readonly required: boolean;
}

export class Options {
  private readonly shortOpts = new Map<string, OptionDef>();
  readonly groups: OptionGroupDef[] = [];

  addOption(opt: string, hasArg: boolean, description: string): this {
    this.shortOpts.set(opt, { opt, hasArg, description });
    return this;
  }

  addOptionGroup(options: readonly OptionDef[], required: boolean): this {
    for (const o of options) this.shortOpts.set(o.opt, o);
    this.groups.push({ options, required });
    return this;
  }

  /** Options.hasShortOption / hasOption / getOption: all strip leading hyphens first. */
  getOption(name: string): OptionDef | undefined {
    return this.shortOpts.get(stripLeadingHyphens(name));
  }

  hasOption(name: string): boolean {
    return this.shortOpts.has(stripLeadingHyphens(name));
  }

  groupOf(opt: OptionDef): OptionGroupDef | undefined {
    return this.groups.find((g) => g.options.some((o) => o.opt === opt.opt));
  }

  /** Every option, for HelpFormatter. */
  all(): OptionDef[] {
    return [...this.shortOpts.values()];
  }
}

/** A commons-cli ParseException; zkCli prints its toString(): `class: message`. */
export class ParseException extends Error {
  constructor(readonly className: string, readonly parseMessage: string) {
    super(`org.apache.commons.cli.${className}: ${parseMessage}`);
  }
}

export class CommandLine {
  readonly args: string[] = [];
  readonly options: { readonly opt: string; readonly values: string[] }[] = [];

  hasOption(opt: string): boolean {
    return this.options.some((o) => o.opt === opt);
  }

  /** The first value of the first occurrence that has one (CommandLine.getOptionValue). */
  getOptionValue(opt: string): string | null {
    for (const o of this.options) if (o.opt === opt && o.values.length > 0) return o.values[0];
    return null;
  }
}

function stripLeadingHyphens(s: string): string {
  if (s.startsWith('--')) return s.slice(2);
  if (s.startsWith('-')) return s.slice(1);
  return s;
}

/** Util.stripLeadingAndTrailingQuotes (1.5): one pair of double quotes with none inside. */
function stripQuotes(s: string): string {
  if (s.length > 1 && s.startsWith('"') && s.endsWith('"') && !s.slice(1, -1).includes('"')) return s.slice(1, -1);
  return s;
}

interface CurrentOption {
  readonly def: OptionDef;
  readonly values: string[];
}

/** One DefaultParser.parse run. */
class ParseRun {
  readonly cmd = new CommandLine();
  private current: CurrentOption | null = null;
  private skipParsing = false;
  private readonly selected = new Map<OptionGroupDef, string>();
  private readonly expectedGroups: OptionGroupDef[];

  constructor(private readonly options: Options) {
    this.expectedGroups = options.groups.filter((g) => g.required);
  }

  run(args: readonly string[]): CommandLine {
    for (const token of args) this.handleToken(token);
    this.checkRequiredArgs();
    if (this.expectedGroups.length > 0) {
      const missing = this.expectedGroups.map(describeGroup);
      const plural = missing.length === 1 ? '' : 's';
      throw new ParseException('MissingOptionException', `Missing required option${plural}: ${missing.join(', ')}`);
    }
    return this.cmd;
  }

  private acceptsArg(): boolean {
    return this.current !== null && this.current.def.hasArg && this.current.values.length < 1;
  }

  private handleToken(token: string): void {
    if (this.skipParsing) {
      this.cmd.args.push(token);
    } else if (token === '--') {
      this.skipParsing = true;
    } else if (this.current !== null && this.acceptsArg() && this.isArgument(token)) {
      this.current.values.push(stripQuotes(token));
    } else if (token.startsWith('--')) {
      this.handleUnknownToken(token); // no long options: getMatchingOptions is always empty
    } else if (token.startsWith('-') && token !== '-') {
      this.handleShortAndLongOption(token);
    } else {
      this.handleUnknownToken(token);
    }
    if (this.current !== null && !this.acceptsArg()) this.current = null;
  }

  private handleShortAndLongOption(token: string): void {
    const t = stripLeadingHyphens(token);
    const pos = t.indexOf('=');
    if (t.length === 1) {
      const def = this.options.getOption(t);
      if (def) this.handleOption(def);
      else this.handleUnknownToken(token);
    } else if (pos === -1) {
      const def = this.options.getOption(t);
      if (def) this.handleOption(def);
      else this.handleConcatenatedOptions(token); // no long prefix and no Java-property options
    } else {
      const opt = t.slice(0, pos);
      const def = opt.length === 1 ? this.options.getOption(opt) : undefined;
      if (def && def.hasArg) {
        this.handleOption(def);
        this.current!.values.push(t.slice(pos + 1));
        this.current = null;
      } else {
        this.handleUnknownToken(token);
      }
    }
  }

  private handleConcatenatedOptions(token: string): void {
    for (let i = 1; i < token.length; i++) {
      const ch = token.charAt(i);
      const def = this.options.hasOption(ch) ? this.options.getOption(ch) : undefined;
      if (!def) {
        this.handleUnknownToken(token);
        break;
      }
      this.handleOption(def);
      if (this.current !== null && token.length !== i + 1) {
        this.current.values.push(token.slice(i + 1));
        break;
      }
    }
  }

  private handleOption(def: OptionDef): void {
    this.checkRequiredArgs();
    this.updateRequiredOptions(def);
    const values: string[] = [];
    this.cmd.options.push({ opt: def.opt, values });
    this.current = def.hasArg ? { def, values } : null;
  }

  private updateRequiredOptions(def: OptionDef): void {
    const group = this.options.groupOf(def);
    if (!group) return;
    const i = this.expectedGroups.indexOf(group);
    if (i >= 0) this.expectedGroups.splice(i, 1);
    const selected = this.selected.get(group);
    if (selected !== undefined && selected !== def.opt) {
      throw new ParseException('AlreadySelectedException',
        `The option '${def.opt}' was specified but an option from this group has already been selected: '${selected}'`);
    }
    this.selected.set(group, def.opt);
  }

  private checkRequiredArgs(): void {
    if (this.current !== null && this.current.def.hasArg && this.current.values.length === 0) {
      throw new ParseException('MissingArgumentException', `Missing argument for option: ${this.current.def.opt}`);
    }
  }

  private handleUnknownToken(token: string): void {
    if (token.startsWith('-') && token.length > 1) {
      throw new ParseException('UnrecognizedOptionException', `Unrecognized option: ${token}`);
    }
    this.cmd.args.push(token);
  }

  private isArgument(token: string): boolean {
    return !this.isShortOption(token) || isJavaDouble(token);
  }

  /** DefaultParser.isShortOption (isLongOption is always false without long options). */
  private isShortOption(token: string): boolean {
    if (!token.startsWith('-') || token.length === 1) return false;
    const pos = token.indexOf('=');
    const optName = pos === -1 ? token.slice(1) : token.slice(1, pos);
    if (this.options.hasOption(optName)) return true;
    return optName.length > 0 && this.options.hasOption(optName.charAt(0));
  }
}

/** OptionGroup.toString: `[-n num soft quota, -b bytes soft quota, ...]`. */
function describeGroup(group: OptionGroupDef): string {
  return `[${group.options.map((o) => `-${o.opt} ${o.description}`).join(', ')}]`;
}

/** DefaultParser().parse(options, arguments). Throws ParseException. */
export function parseCommandLine(options: Options, args: readonly string[]): CommandLine {
  return new ParseRun(options).run(args);
}

/**
 * HelpFormatter.printHelp(cmdLineSyntax, options) with the default width 74: `usage: ` and the
 * syntax, then one line per option sorted case-insensitively by name, padded to a common width.
 * Only `ls -?` reaches it; the descriptions there are short, so nothing wraps.
 */
export function formatHelp(cmdLineSyntax: string, options: Options): string {
  const opts = options.all().sort((a, b) => compareIgnoreCase(a.opt, b.opt));
  const lefts = opts.map((o) => ` -${o.opt}${o.hasArg ? ' <arg>' : ''}`);
  const width = Math.max(0, ...lefts.map((l) => l.length));
  const lines = opts.map((o, i) => `${lefts[i].padEnd(width)}   ${o.description}`);
  return `usage: ${cmdLineSyntax}\n${lines.join('\n')}\n`;
}

/** String.compareToIgnoreCase for the ASCII option names zkCli uses. */
function compareIgnoreCase(a: string, b: string): number {
  const x = a.toUpperCase().toLowerCase();
  const y = b.toUpperCase().toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
