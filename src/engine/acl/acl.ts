/**
 * ACLs on the server (reference §7): checkAcl is ZooKeeperServer.checkACL, fixupAcl is
 * PrepRequestProcessor.fixupACL. The zkCli text forms live in acl-text.ts and the two
 * authentication providers in ip-auth.ts and digest-auth.ts; all are re-exported here.
 *
 * The provider registry is ZooKeeper's default ProviderRegistry: "ip" and "digest" only (sasl,
 * x509 and friends need `zookeeper.authProvider.*` and are out of scope). "world", "auth" and
 * "super" are not providers: world:anyone and auth are special-cased by name, and a "super" id
 * (added next to the digest id when it equals superDigest) bypasses checkAcl but, having no
 * provider, is never copied into an ACL by `auth`.
 */
import type { ACL, Id } from '../protocol/records.ts';
import { assert } from '../util/assert.ts';
import { digestIsValid, digestMatches } from './digest-auth.ts';
import { ipIsValid, ipMatches } from './ip-auth.ts';

export { digestAuthId, digestIsValid, digestMatches } from './digest-auth.ts';
export { ipIsValid, ipMatches } from './ip-auth.ts';
export {
  aclEntryToZkCliText, aclToZkCliText, idToString, parseAclString, parsePerms, permsToString, type ParsedAcl,
} from './acl-text.ts';

/** A connection's authenticated ids: `ip:<address>` always, `digest:user:hash` per addauth, `super:`. */
export type AuthInfo = readonly Id[];

/** The slice of ServerAuthenticationProvider that ACL checks use. */
interface AuthProvider {
  /** Whether its ids name a user, so that an `auth` ACL entry may stand for them. */
  readonly isAuthenticated: boolean;
  readonly isValid: (id: string) => boolean;
  readonly matches: (id: string, aclExpr: string) => boolean;
}

// A Map, not an object literal: a scheme named "constructor" must not find Object.prototype's.
const providers: ReadonlyMap<string, AuthProvider> = new Map([
  ['ip', { isAuthenticated: false, isValid: ipIsValid, matches: ipMatches }],
  ['digest', { isAuthenticated: true, isValid: digestIsValid, matches: digestMatches }],
]);

const isWorldAnyone = (id: Id): boolean => id.scheme === 'world' && id.id === 'anyone';

/**
 * ZooKeeperServer.checkACL: may a connection with `auth` do `perm` on a node with `acl`? An empty
 * ACL allows everything, a super id allows everything, then any entry holding one of `perm`'s bits
 * allows if it is world:anyone or its scheme's provider matches one of the caller's ids of that
 * scheme. Entries of unknown schemes are skipped, never an error.
 */
export function checkAcl(acl: readonly ACL[], perm: number, auth: AuthInfo): boolean {
  assert(perm > 0, 'checkAcl asks for at least one permission');
  if (acl.length === 0) return true;
  if (auth.some((id) => id.scheme === 'super')) return true;
  for (const entry of acl) {
    if ((entry.perms & perm) === 0) continue;
    if (isWorldAnyone(entry.id)) return true;
    const provider = providers.get(entry.id.scheme);
    if (provider === undefined) continue;
    for (const id of auth) {
      if (id.scheme === entry.id.scheme && provider.matches(id.id, entry.id.id)) return true;
    }
  }
  return false;
}

/** PrepRequestProcessor.removeDuplicates: ACL.equals is perms, scheme and id; first one wins. */
function removeDuplicates(acl: readonly ACL[]): ACL[] {
  const unique: ACL[] = [];
  for (const entry of acl) if (!unique.some((u) => sameAcl(u, entry))) unique.push(entry);
  return unique;
}

function sameAcl(a: ACL, b: ACL): boolean {
  return a.perms === b.perms && a.id.scheme === b.id.scheme && a.id.id === b.id.id;
}

/**
 * PrepRequestProcessor.fixupACL for create and setACL; null means InvalidACL. Duplicates go
 * first, then each entry is kept (world:anyone, or an id its provider calls valid), expanded
 * (`auth`: one entry per authenticated id of the caller, with the entry's perms, in auth order;
 * InvalidACL if there is none), or rejected. The id of an `auth` entry is ignored.
 *
 * As in Java, duplicates are removed before the expansion only: `auth::cdrwa` next to the
 * caller's own `digest:...:cdrwa` stores that entry twice.
 */
export function fixupAcl(acl: readonly ACL[], auth: AuthInfo): readonly ACL[] | null {
  const unique = removeDuplicates(acl);
  if (unique.length === 0) return null;
  const fixed: ACL[] = [];
  for (const entry of unique) {
    if (isWorldAnyone(entry.id)) {
      fixed.push(entry);
    } else if (entry.id.scheme === 'auth') {
      const ids = auth.filter((id) => providers.get(id.scheme)?.isAuthenticated === true);
      if (ids.length === 0) return null;
      for (const id of ids) fixed.push({ perms: entry.perms, id });
    } else {
      const provider = providers.get(entry.id.scheme);
      if (provider === undefined || !provider.isValid(entry.id.id)) return null;
      fixed.push(entry);
    }
  }
  assert(fixed.length >= unique.length, 'fixupAcl drops no entry it accepts');
  return fixed;
}
