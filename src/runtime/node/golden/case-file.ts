/**
 * Golden case files (`/work/shared/golden/cases/NAME.cli`) and the transcript layout of
 * `expected/NAME.out`, exactly as `run-cases.sh` (the capture tool) reads and writes them.
 *
 * Pure: no I/O. Everything here mirrors a specific line of run-cases.sh; the comments say which.
 */

export type ServerKind = 'standalone' | 'ensemble' | 'none';

/** One thing the runner does, in file order. */
export type Step =
  /** A zkCli line, sent verbatim (trailing spaces kept; an empty line is a command too). */
  | { kind: 'command'; session: string; text: string }
  /**
   * `#@ session NAME [args]`: following commands go to NAME. `start` is true when this step
   * starts the session (its first use); then `args` are the zkCli arguments it is started
   * with. On a later switch `args` repeats the session's original arguments (run-cases.sh
   * ignores arguments given again). `implicit` marks the `main` session run-cases.sh starts
   * by itself when a command or raw line comes before any `#@ session`.
   */
  | { kind: 'session'; name: string; args: string[]; start: boolean; implicit?: true }
  | { kind: 'sleep'; seconds: number }
  | { kind: 'kill'; targets: number[] | 'leader' }
  | { kind: 'start'; targets: number[] | 'killed' }
  | { kind: 'wait-leader' }
  | { kind: 'wait-serving'; servers: number[] }
  /**
   * `#@ raw TEXT`: TEXT after printf %b expansion. `bytes` holds one char per byte (U+0000-U+00FF);
   * `text` is those bytes decoded as UTF-8 (what Java's zkCli reads from stdin, and what the
   * transcript shows as the echoed command when read as UTF-8).
   */
  | { kind: 'raw'; session: string; bytes: string; text: string }
  /** `#@ oneshot ARGS...`: `zkCli.sh -server 127.0.0.1:PORT ARGS...` without stdin. */
  | { kind: 'oneshot'; args: string[] }
  /** `#@ shell COMMAND`: run by bash in the golden directory, output dropped. */
  | { kind: 'shell'; command: string };

export interface GoldenCase {
  server: ServerKind;
  /** Client port of the case's server as run-cases.sh uses it: 2191 standalone/none, 2181 ensemble. */
  port: number;
  /** `#@ servercfg KEY=VALUE` lines (extra zoo.cfg lines for the standalone server). */
  servercfg: Record<string, string>;
  steps: Step[];
}

export class CaseParseError extends Error {
  constructor(
    readonly lineNumber: number,
    message: string,
  ) {
    super(`line ${lineNumber}: ${message}`);
    this.name = 'CaseParseError';
  }
}

/** run-cases.sh: `standalone) port=2191`, `ensemble) port=2181`, `none) port=2191`. */
export function defaultPort(server: ServerKind): number {
  return server === 'ensemble' ? 2181 : 2191;
}

/** run-cases.sh: `start_session main -server "127.0.0.1:$port" -waitforconnection`. */
export function defaultSessionArgs(port: number): string[] {
  return ['-server', `127.0.0.1:${port}`, '-waitforconnection'];
}

/** The session that commands before any `#@ session` directive go to (run-cases.sh: `cur=main`). */
export const DEFAULT_SESSION = 'main';

/** bash `read -r -a args`: split on runs of IFS whitespace (space, tab), no quote handling. */
function splitWords(s: string): string[] {
  return s.split(/[ \t\n]+/).filter((w) => w !== '');
}

/** bash `${line#prefix}`: remove the prefix if present, else leave the line unchanged. */
function stripPrefix(line: string, prefix: string): string {
  return line.startsWith(prefix) ? line.slice(prefix.length) : line;
}

/** GNU sleep's argument: a number with an optional s/m/h/d suffix. */
function parseSleep(arg: string, lineNumber: number): number {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(arg.trim());
  if (!m) throw new CaseParseError(lineNumber, `bad sleep argument ${JSON.stringify(arg)}`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number.parseFloat(m[1]) * unit;
}

function parseServerNumbers(words: string[], lineNumber: number, what: string): number[] {
  if (words.length === 0) throw new CaseParseError(lineNumber, `${what}: no server given`);
  return words.map((w) => {
    if (!/^\d+$/.test(w)) throw new CaseParseError(lineNumber, `${what}: bad server ${JSON.stringify(w)}`);
    return Number.parseInt(w, 10);
  });
}

const HEX = /[0-9a-fA-F]/;
const OCT = /[0-7]/;

/**
 * bash `printf '%b'` escape expansion (bash's printf.def `tescape` with the %b rules): `\\`,
 * `\a \b \e \E \f \n \r \t \v`, `\0NNN` (up to 3 octal digits after the 0) and `\NNN`
 * (1-3 octal digits), `\xHH` (1-2 hex digits), `\uHHHH` / `\UHHHHHHHH` (as UTF-8), `\c`
 * (stop output). Any other backslash (including `\'`, `\"`, `\?` and a lone trailing one) is
 * kept as it is. The input is taken as UTF-8; the result is bytes.
 *
 * `stopped` is true when `\c` cut the output short (printf then also drops the `\n` that
 * run-cases.sh appends, so the line is written without a newline).
 */
export function expandPrintfEscapes(text: string): { bytes: Uint8Array; stopped: boolean } {
  const src = new TextEncoder().encode(text);
  const out: number[] = [];
  const ch = (i: number): string => (i < src.length ? String.fromCharCode(src[i]) : '');
  let i = 0;
  while (i < src.length) {
    const b = src[i];
    if (b !== 0x5c /* \ */ || i + 1 >= src.length) {
      out.push(b);
      i++;
      continue;
    }
    const c = ch(i + 1);
    i += 2;
    const simple: Record<string, number> = { a: 7, b: 8, e: 0x1b, E: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 9, v: 0x0b, '\\': 0x5c };
    if (c in simple) {
      out.push(simple[c]);
    } else if (OCT.test(c)) {
      let value = c.charCodeAt(0) - 48;
      let more = c === '0' ? 3 : 2;
      while (more-- > 0 && OCT.test(ch(i))) value = value * 8 + (src[i++] - 48);
      out.push(value & 0xff);
    } else if (c === 'x') {
      let value = 0;
      let digits = 0;
      while (digits < 2 && HEX.test(ch(i))) {
        value = value * 16 + Number.parseInt(ch(i++), 16);
        digits++;
      }
      if (digits === 0) out.push(0x5c, 0x78);
      else out.push(value);
    } else if (c === 'u' || c === 'U') {
      let value = 0;
      let digits = 0;
      while (digits < (c === 'u' ? 4 : 8) && HEX.test(ch(i))) {
        value = value * 16 + Number.parseInt(ch(i++), 16);
        digits++;
      }
      if (digits === 0) out.push(0x5c, c.charCodeAt(0));
      else if (value <= 0x7f) out.push(value);
      else if (value <= 0x10ffff) out.push(...new TextEncoder().encode(String.fromCodePoint(value)));
      else out.push(0x3f);
    } else if (c === 'c') {
      return { bytes: Uint8Array.from(out), stopped: true };
    } else {
      out.push(0x5c, src[i - 1]);
    }
  }
  return { bytes: Uint8Array.from(out), stopped: false };
}

/** Bytes as a string of U+0000-U+00FF chars (one char per byte). */
export function bytesToBinaryString(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/**
 * Parses a case file the way run-cases.sh's `run_case` does:
 *  - lines are split on `\n` (`read -r` keeps `\r` and backslashes); a last line without a
 *    newline still counts;
 *  - `#@ server X` (first one wins; missing means standalone) and `#@ servercfg K=V` are read
 *    up front, wherever they are;
 *  - other directives are matched by the same prefixes and in the same order as the `case`
 *    statement (`#@ kill ` / `#@ start ` / `#@ raw ` / `#@ wait-serving ` need the space);
 *  - any other line starting with `#` is a comment (including unknown `#@` directives);
 *  - every other line, **including an empty one**, is a command sent verbatim.
 */
export function parseCase(text: string): GoldenCase {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

  // server=$(sed -n 's/^#@ server \([a-z]*\).*/\1/p' "$f" | head -1); server=${server:-standalone}
  let serverWord = '';
  let serverLine = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^#@ server ([a-z]*)/.exec(lines[i]);
    if (m) {
      serverWord = m[1];
      serverLine = i + 1;
      break;
    }
  }
  const server = (serverWord || 'standalone') as ServerKind;
  if (server !== 'standalone' && server !== 'ensemble' && server !== 'none') {
    throw new CaseParseError(serverLine, `unknown server kind ${JSON.stringify(serverWord)}`);
  }
  const port = defaultPort(server);

  // ZKG_EXTRA_CFG=$(sed -n 's/^#@ servercfg //p' "$f" | ...): zoo.cfg lines (Java Properties).
  const servercfg: Record<string, string> = {};
  lines.forEach((line, i) => {
    if (!line.startsWith('#@ servercfg ')) return;
    const kv = line.slice('#@ servercfg '.length);
    const eq = kv.indexOf('=');
    if (eq < 0) throw new CaseParseError(i + 1, `servercfg needs KEY=VALUE: ${JSON.stringify(kv)}`);
    servercfg[kv.slice(0, eq).trim()] = kv.slice(eq + 1).replace(/^[ \t]+/, '');
  });

  const steps: Step[] = [];
  const sessionArgs = new Map<string, string[]>();
  let cur = '';
  const ensureSession = (): string => {
    if (cur === '') {
      cur = DEFAULT_SESSION;
      const args = defaultSessionArgs(port);
      sessionArgs.set(cur, args);
      steps.push({ kind: 'session', name: cur, args, start: true, implicit: true });
    }
    return cur;
  };

  lines.forEach((line, index) => {
    const n = index + 1;
    if (line.startsWith('#@ server')) return; // also "#@ servercfg" (read above)
    if (line.startsWith('#@ session')) {
      const args = splitWords(stripPrefix(line, '#@ session'));
      if (args.length === 0) throw new CaseParseError(n, 'session needs a name');
      const name = args[0];
      cur = name;
      const known = sessionArgs.get(name);
      if (known) {
        steps.push({ kind: 'session', name, args: known, start: false });
      } else {
        const startArgs = args.length > 1 ? args.slice(1) : defaultSessionArgs(port);
        sessionArgs.set(name, startArgs);
        steps.push({ kind: 'session', name, args: startArgs, start: true });
      }
      return;
    }
    if (line.startsWith('#@ sleep')) {
      steps.push({ kind: 'sleep', seconds: parseSleep(stripPrefix(line, '#@ sleep '), n) });
      return;
    }
    if (line.startsWith('#@ shell')) {
      steps.push({ kind: 'shell', command: stripPrefix(line, '#@ shell ') });
      return;
    }
    if (line.startsWith('#@ kill ')) {
      const words = splitWords(line.slice('#@ kill '.length));
      if (words.length > 0 && words.every((w) => w === 'leader')) steps.push({ kind: 'kill', targets: 'leader' });
      else steps.push({ kind: 'kill', targets: parseServerNumbers(words, n, 'kill') });
      return;
    }
    if (line.startsWith('#@ start ')) {
      const words = splitWords(line.slice('#@ start '.length));
      if (words.length > 0 && words.every((w) => w === 'killed')) steps.push({ kind: 'start', targets: 'killed' });
      else steps.push({ kind: 'start', targets: parseServerNumbers(words, n, 'start') });
      return;
    }
    if (line.startsWith('#@ wait-leader')) {
      steps.push({ kind: 'wait-leader' });
      return;
    }
    if (line.startsWith('#@ wait-serving ')) {
      steps.push({ kind: 'wait-serving', servers: parseServerNumbers(splitWords(line.slice('#@ wait-serving '.length)), n, 'wait-serving') });
      return;
    }
    if (line.startsWith('#@ oneshot')) {
      steps.push({ kind: 'oneshot', args: splitWords(stripPrefix(line, '#@ oneshot')) });
      return;
    }
    if (line.startsWith('#@ raw ')) {
      const session = ensureSession();
      const { bytes } = expandPrintfEscapes(line.slice('#@ raw '.length));
      steps.push({ kind: 'raw', session, bytes: bytesToBinaryString(bytes), text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) });
      return;
    }
    if (line.startsWith('#')) return;
    const session = ensureSession();
    steps.push({ kind: 'command', session, text: line });
  });

  return { server, port, servercfg, steps };
}

/** The line run-cases.sh writes before each session's transcript (without its newline). */
export function sessionHeader(name: string, args: readonly string[]): string {
  // printf -- '----- session %s (zkCli %s) -----\n' "$s" "${S_ARGS[$s]}"   (S_ARGS = "$*")
  return `----- session ${name} (zkCli ${args.join(' ')}) -----`;
}

/** The line run-cases.sh writes before each oneshot's output (without its newline). */
export function oneshotHeader(port: number, args: readonly string[]): string {
  // printf '$ zkCli.sh -server 127.0.0.1:%s %s\n' "$port" "${args[*]}"  (a trailing space when no args)
  return `$ zkCli.sh -server 127.0.0.1:${port} ${args.join(' ')}`;
}

export type TranscriptSection =
  /** What one interactive zkCli printed, echoed commands included (ends with the last prompt). */
  | { kind: 'session'; name: string; args: readonly string[]; transcript: string }
  /** One `#@ oneshot`: its combined stdout+stderr and exit code. */
  | { kind: 'oneshot'; port: number; args: readonly string[]; output: string; exitCode: number };

/**
 * The .out file as run-cases.sh assembles it:
 *  1. every oneshot, in order, as `$ zkCli.sh -server 127.0.0.1:PORT ARGS` + output +
 *     `[exit code N]` — all oneshots come first, whatever their place among the sessions;
 *  2. then, if there is exactly one session and no oneshot, that session's bare transcript;
 *     otherwise, for each session in the given order (run-cases.sh: order of start), its
 *     header line, its transcript and one `\n` (the transcript ends with a prompt, so this
 *     ends the prompt line; a session that quit gets a blank line).
 */
export function assembleTranscript(sections: readonly TranscriptSection[]): string {
  let oneshots = '';
  const sessions: Extract<TranscriptSection, { kind: 'session' }>[] = [];
  for (const s of sections) {
    if (s.kind === 'oneshot') oneshots += `${oneshotHeader(s.port, s.args)}\n${s.output}[exit code ${s.exitCode}]\n`;
    else sessions.push(s);
  }
  if (sessions.length === 1 && oneshots === '') return sessions[0].transcript;
  let out = oneshots;
  for (const s of sessions) out += `${sessionHeader(s.name, s.args)}\n${s.transcript}\n`;
  return out;
}
