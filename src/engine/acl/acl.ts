/**
 * ACLs (reference §7): checkAcl (ZooKeeperServer.checkACL), fixupAcl (PrepRequestProcessor),
 * the digest and ip authentication providers, and zkCli's AclParser / getAcl printing.
 */
import { Perms, type ACL, type Id } from '../protocol/records.ts';
import { base64Encode, utf8Encode } from '../util/bytes.ts';
import { sha1 } from '../util/sha1.ts';

/** A connection's authenticated ids (ip:<address> always, digest:user:hash after addauth, super). */
export type AuthInfo = readonly Id[];

/** DigestAuthenticationProvider.generateDigest: `user:base64(sha1("user:password"))`. */
export function digestAuthId(userColonPassword: string): string {
  const user = userColonPassword.split(':', 1)[0];
  return `${user}:${base64Encode(sha1(utf8Encode(userColonPassword)))}`;
}

/** Java's String.split(regex) drops trailing empty strings. */
function javaSplit(s: string, sep: string): string[] {
  const parts = s.split(sep);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && s.length > 0) return [];
  return parts;
}

/** IPAuthenticationProvider.v4addr2Bytes (3.8.0 supports IPv4 only: "TODO Write the v6addr2Bytes"). */
function v4Bytes(addr: string): number[] | null {
  const parts = addr.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^[+-]?\d+$/.test(p)) return null;
    const v = Number.parseInt(p, 10);
    if (v < 0 || v > 255) return null;
    out.push(v);
  }
  return out;
}

function mask(b: number[], bits: number): void {
  let start = Math.floor(bits / 8);
  let startMask = ~((1 << (8 - (bits % 8))) - 1);
  while (start < b.length) {
    b[start] &= startMask;
    startMask = 0;
    start++;
  }
}

function parseBits(text: string, max: number): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const bits = Number.parseInt(text, 10);
  return bits < 0 || bits > max ? null : bits;
}

/** IPAuthenticationProvider.matches(id, aclExpr) */
export function ipMatches(address: string, aclExpr: string): boolean {
  const slash = aclExpr.indexOf('/');
  const acl = v4Bytes(slash < 0 ? aclExpr : aclExpr.slice(0, slash));
  if (acl === null) return false;
  let bits = acl.length * 8;
  if (slash >= 0) {
    const b = parseBits(aclExpr.slice(slash + 1), acl.length * 8);
    if (b === null) return false;
    bits = b;
  }
  mask(acl, bits);
  const remote = v4Bytes(address);
  if (remote === null) return false;
  mask(remote, bits);
  return remote.every((v, i) => v === acl[i]);
}

function ipValid(id: string): boolean {
  const slash = id.indexOf('/');
  const addr = v4Bytes(slash < 0 ? id : id.slice(0, slash));
  if (addr === null) return false;
  return slash < 0 || parseBits(id.slice(slash + 1), 32) !== null;
}

/** The server-side providers we have: ip and digest. */
const providers: Record<string, { isAuthenticated: boolean; isValid: (id: string) => boolean; matches: (id: string, expr: string) => boolean }> = {
  ip: { isAuthenticated: false, isValid: ipValid, matches: ipMatches },
  digest: { isAuthenticated: true, isValid: (id) => javaSplit(id, ':').length === 2, matches: (id, expr) => id === expr },
};

/** ZooKeeperServer.checkACL */
export function checkAcl(acl: readonly ACL[], perm: number, auth: AuthInfo): boolean {
  if (acl.length === 0) return true;
  if (auth.some((id) => id.scheme === 'super')) return true;
  for (const a of acl) {
    if ((a.perms & perm) === 0) continue;
    if (a.id.scheme === 'world' && a.id.id === 'anyone') return true;
    const p = providers[a.id.scheme];
    if (!p) continue;
    if (auth.some((id) => id.scheme === a.id.scheme && p.matches(id.id, a.id.id))) return true;
  }
  return false;
}

/** PrepRequestProcessor.fixupACL; null = InvalidACL. */
export function fixupAcl(acl: readonly ACL[], auth: AuthInfo): readonly ACL[] | null {
  const uniq: ACL[] = [];
  for (const a of acl) if (!uniq.some((u) => sameAcl(u, a))) uniq.push(a);
  if (uniq.length === 0) return null;
  const out: ACL[] = [];
  for (const a of uniq) {
    if (a.id.scheme === 'world' && a.id.id === 'anyone') {
      out.push(a);
    } else if (a.id.scheme === 'auth') {
      const ids = auth.filter((id) => providers[id.scheme]?.isAuthenticated === true);
      if (ids.length === 0) return null;
      for (const id of ids) out.push({ perms: a.perms, id });
    } else {
      const p = providers[a.id.scheme];
      if (!p || !p.isValid(a.id.id)) return null;
      out.push(a);
    }
  }
  return out;
}

function sameAcl(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

/** AclParser.getPermFromString: lowercase letters only; others are reported and ignored. */
export function parsePerms(text: string, warnings: string[]): number {
  let perm = 0;
  for (const ch of text) {
    switch (ch) {
      case 'r': perm |= Perms.READ; break;
      case 'w': perm |= Perms.WRITE; break;
      case 'c': perm |= Perms.CREATE; break;
      case 'd': perm |= Perms.DELETE; break;
      case 'a': perm |= Perms.ADMIN; break;
      default: warnings.push(`Unknown perm type: ${ch}`);
    }
  }
  return perm;
}

/**
 * zkCli's AclParser.parse: comma-separated scheme:id:perm (id may contain ':'); a segment
 * without two colons is reported on stderr and skipped; bad perm letters are warnings.
 * `warnings` are the stderr lines, in order.
 */
export function parseAclString(text: string): { acl: ACL[]; warnings: string[] } {
  const acl: ACL[] = [];
  const warnings: string[] = [];
  for (const a of javaSplit(text, ',')) {
    const first = a.indexOf(':');
    const last = a.lastIndexOf(':');
    if (first === -1 || first === last) {
      warnings.push(`${a} does not have the form scheme:id:perm`);
      continue;
    }
    const perms = parsePerms(a.slice(last + 1), warnings);
    acl.push({ perms, id: { scheme: a.slice(0, first), id: a.slice(first + 1, last) } });
  }
  return { acl, warnings };
}

/** GetAclCommand.getPermString: c d r w a order. */
export function permsToString(perms: number): string {
  let p = '';
  if (perms & Perms.CREATE) p += 'c';
  if (perms & Perms.DELETE) p += 'd';
  if (perms & Perms.READ) p += 'r';
  if (perms & Perms.WRITE) p += 'w';
  if (perms & Perms.ADMIN) p += 'a';
  return p;
}

/** jute's CSV string form (Utils.toCSVString). */
function csv(s: string): string {
  let out = "'";
  for (const ch of s) {
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

/** What `getAcl` prints per entry: `'world,'anyone` newline `: cdrwa` (Id.toString + perms). */
export function aclToZkCliText(acl: ACL): string {
  return `${csv(acl.id.scheme)},${csv(acl.id.id)}\n: ${permsToString(acl.perms)}`;
}
