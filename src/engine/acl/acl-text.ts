/**
 * ACLs as zkCli reads and prints them: AclParser.parse for the `acl` argument of create/setAcl,
 * ZKUtil.getPermString and the jute Id.toString that getAcl prints.
 *
 * AclParser never fails: it prints problems on stderr and keeps going, so a bad segment is
 * dropped and a bad perm letter is ignored. An argument with no good segment parses to an empty
 * list, which the server then rejects as InvalidACL (golden: `create /plain2 data extra`).
 */
import { Perms, type ACL, type Id } from '../protocol/records.ts';
import { utf8Decode, utf8Encode } from '../util/bytes.ts';
import { javaSplit } from './java-string.ts';

export interface ParsedAcl {
  readonly acl: ACL[];
  /** What AclParser prints on stderr, one line each, in order. */
  readonly warnings: string[];
}

/**
 * AclParser.parse: comma-separated `scheme:id:perm`, split on the first and the last ':' so the
 * id may hold colons (`digest:user:hash:cdrwa`). `aclString.split(",")` drops trailing empty
 * segments but keeps the others, so "a,,b" warns about an empty segment and "" warns once.
 */
export function parseAclString(text: string): ParsedAcl {
  const acl: ACL[] = [];
  const warnings: string[] = [];
  for (const segment of javaSplit(text, ',')) {
    const first = segment.indexOf(':');
    const last = segment.lastIndexOf(':');
    if (first === -1 || first === last) {
      warnings.push(`${segment} does not have the form scheme:id:perm`);
      continue;
    }
    const id: Id = { scheme: segment.slice(0, first), id: segment.slice(first + 1, last) };
    acl.push({ id, perms: parsePerms(segment.slice(last + 1), warnings) });
  }
  return { acl, warnings };
}

const permLetters: Readonly<Record<string, number>> = {
  r: Perms.READ,
  w: Perms.WRITE,
  c: Perms.CREATE,
  d: Perms.DELETE,
  a: Perms.ADMIN,
};

/**
 * AclParser.getPermFromString: lowercase c d r w a; any other UTF-16 unit (uppercase included)
 * is reported as `Unknown perm type: <char>` and ignored, so "rX" means READ and "" means 0.
 */
export function parsePerms(text: string, warnings: string[]): number {
  let perms = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const bit = Object.hasOwn(permLetters, ch) ? permLetters[ch] : 0;
    if (bit === 0) warnings.push(`Unknown perm type: ${ch}`);
    perms |= bit;
  }
  return perms;
}

/** ZKUtil.getPermString: the letters of the set bits in c d r w a order; "" for none. */
export function permsToString(perms: number): string {
  let p = '';
  if (perms & Perms.CREATE) p += 'c';
  if (perms & Perms.DELETE) p += 'd';
  if (perms & Perms.READ) p += 'r';
  if (perms & Perms.WRITE) p += 'w';
  if (perms & Perms.ADMIN) p += 'a';
  return p;
}

/** ToStringOutputArchive.escapeString: a quote, then the text with , } % NUL CR LF escaped. */
function escapeString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    switch (ch) {
      case '\0': out += '%00'; break;
      case '\n': out += '%0A'; break;
      case '\r': out += '%0D'; break;
      case ',': out += '%2C'; break;
      case '}': out += '%7D'; break;
      case '%': out += '%25'; break;
      default: out += ch;
    }
  }
  return out;
}

/**
 * The jute-generated Id.toString(): `'scheme,'id` and a newline (endRecord of a top-level record
 * prints "\n"). It goes through a UTF-8 PrintStream and back, so a lone surrogate comes out '?'.
 */
export function idToString(id: Id): string {
  return utf8Decode(utf8Encode(`${escapeString(id.scheme)},${escapeString(id.id)}\n`));
}

/** One getAcl entry as GetAclCommand passes it to println: `'world,'anyone\n: cdrwa`. */
export function aclEntryToZkCliText(entry: ACL): string {
  return `${idToString(entry.id)}: ${permsToString(entry.perms)}`;
}

/** Everything getAcl prints for a list (without -s): each entry and its line break. */
export function aclToZkCliText(acl: readonly ACL[]): string {
  return acl.map((entry) => `${aclEntryToZkCliText(entry)}\n`).join('');
}
