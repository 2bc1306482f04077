/**
 * java.util.Properties.load(InputStream), as QuorumPeerConfig reads zoo.cfg (JDK 17).
 *
 * Syntax (Properties.load javadoc, LineReader):
 * - the file is read as ISO-8859-1 bytes: we take text, encode it as UTF-8 and map each byte
 *   to one char, which is what Java does to a UTF-8 zoo.cfg (non-ASCII comes out garbled, as
 *   in ZooKeeper); `\uXXXX` escapes are the way to write other characters;
 * - lines end at `\n`, `\r` or `\r\n`; leading blanks (space, tab, form feed) are skipped;
 *   a line whose first non-blank is `#` or `!` is a comment;
 * - a line ending in an odd number of backslashes continues on the next line, whose leading
 *   blanks are skipped;
 * - the key ends at the first unescaped `=`, `:` or blank; blanks, then one `=` or `:`, then
 *   blanks are skipped; the rest is the value (trailing blanks are kept);
 * - escapes: `\t \n \r \f`, `\uXXXX` (malformed → IllegalArgumentException), `\x` → `x`;
 * - a repeated key keeps its first place and takes the last value.
 *
 * Since JDK 9 a Properties object is a ConcurrentHashMap(8), so ZooKeeper walks the keys in
 * that map's order: `propertiesEntries` returns them in that order.
 */
import { utf8Encode } from '../util/bytes.ts';
import { chmCreate, chmKeys, chmPut, stringKey } from './java-concurrent-hash-map.ts';

/** A bound on the logical lines of one file (a zoo.cfg has tens). */
export const propertiesLinesMax = 100_000;

export type PropertiesLoad =
  | { ok: true; entries: ReadonlyArray<readonly [string, string]> }
  | { ok: false; error: string };

/** `new String(bytes, ISO_8859_1)` of the UTF-8 encoding of text. */
export function latin1OfUtf8(text: string): string {
  const bytes = utf8Encode(text);
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += String.fromCharCode(bytes[i]);
  return out;
}

/** Properties.load: entries in file order of first appearance (use propertiesEntries for Java's order). */
export function loadProperties(text: string): PropertiesLoad {
  const chars = latin1OfUtf8(text);
  const values = new Map<string, string>();
  const reader = { text: chars, off: 0 };
  for (let n = 0; n < propertiesLinesMax; n++) {
    const line = readLogicalLine(reader);
    if (line === null) return { ok: true, entries: [...values.entries()] };
    const { keyEnd, valueStart } = splitKeyValue(line);
    const key = loadConvert(line.slice(0, keyEnd));
    const value = loadConvert(line.slice(valueStart));
    if (key === null || value === null) return { ok: false, error: 'Malformed \\uxxxx encoding.' };
    values.set(key, value);
  }
  return { ok: false, error: `more than ${propertiesLinesMax} lines` };
}

/** The entries of a loaded Properties in the order `entrySet()` iterates them. */
export function propertiesEntries(entries: ReadonlyArray<readonly [string, string]>): Array<readonly [string, string]> {
  const m = chmCreate(8);
  for (const [k] of entries) chmPut(m, stringKey(k));
  const byKey = new Map(entries);
  return chmKeys(m).map((k) => [k, byKey.get(k)!] as const);
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\f';
const isEol = (c: string): boolean => c === '\n' || c === '\r';

interface Reader {
  text: string;
  off: number;
}

/** LineReader.readLine: one logical line without its continuations' backslashes, or null at EOF. */
function readLogicalLine(r: Reader): string | null {
  let line = '';
  let skipWhiteSpace = true;
  let appendedLineBegin = false;
  let precedingBackslash = false;
  while (r.off < r.text.length) {
    const c = r.text[r.off++];
    if (skipWhiteSpace) {
      if (isBlank(c)) continue;
      if (!appendedLineBegin && isEol(c)) continue;
      skipWhiteSpace = false;
      appendedLineBegin = false;
    }
    if (line.length === 0 && (c === '#' || c === '!')) {
      while (r.off < r.text.length && !isEol(r.text[r.off])) r.off++;
      skipWhiteSpace = true;
      continue;
    }
    if (!isEol(c)) {
      line += c;
      precedingBackslash = c === '\\' ? !precedingBackslash : false;
      continue;
    }
    if (line.length === 0) {
      skipWhiteSpace = true;
      continue;
    }
    if (!precedingBackslash) return line;
    line = line.slice(0, -1);
    skipWhiteSpace = true;
    appendedLineBegin = true;
    precedingBackslash = false;
    if (c === '\r' && r.text[r.off] === '\n') r.off++;
  }
  if (line.length === 0) return null;
  return precedingBackslash ? line.slice(0, -1) : line;
}

/** Properties.load0: where the key ends and the value starts. */
function splitKeyValue(line: string): { keyEnd: number; valueStart: number } {
  let keyEnd = 0;
  let valueStart = line.length;
  let hasSep = false;
  let precedingBackslash = false;
  while (keyEnd < line.length) {
    const c = line[keyEnd];
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyEnd + 1;
      hasSep = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyEnd + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyEnd++;
  }
  while (valueStart < line.length) {
    const c = line[valueStart];
    if (!isBlank(c)) {
      if (!hasSep && (c === '=' || c === ':')) hasSep = true;
      else break;
    }
    valueStart++;
  }
  return { keyEnd, valueStart };
}

/** Properties.loadConvert: resolves escapes; null for a malformed \uXXXX. */
function loadConvert(s: string): string | null {
  let out = '';
  let i = 0;
  while (i < s.length) {
    let c = s[i++];
    if (c !== '\\') {
      out += c;
      continue;
    }
    // A lone trailing backslash cannot reach here (LineReader drops it); read it as itself.
    c = i < s.length ? s[i++] : '\\';
    if (c === 'u') {
      if (i > s.length - 4) return null;
      const hex = s.slice(i, i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) return null;
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += c === 't' ? '\t' : c === 'r' ? '\r' : c === 'n' ? '\n' : c === 'f' ? '\f' : c;
    }
  }
  return out;
}
