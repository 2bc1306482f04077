/**
 * DigestAuthenticationProvider (scheme "digest"). `addauth digest user:password` gives the
 * connection the id `user:base64(sha1("user:password"))`; an ACL id must have that `user:hash`
 * shape, and matching is plain string equality (the password never reaches an ACL).
 */
import { base64Encode, utf8Encode } from '../util/bytes.ts';
import { sha1 } from '../util/sha1.ts';
import { javaSplit } from './java-string.ts';

/**
 * DigestAuthenticationProvider.generateDigest: the hash covers the whole "user:password" string
 * (UTF-8), the user is the text before the first ':'. Without a ':' the whole string is the user
 * and the hash is of it alone: `addauth digest nocolon` succeeds (golden acl_digest_auth).
 */
export function digestAuthId(userColonPassword: string): string {
  const colon = userColonPassword.indexOf(':');
  const user = colon < 0 ? userColonPassword : userColonPassword.slice(0, colon);
  return `${user}:${base64Encode(sha1(utf8Encode(userColonPassword)))}`;
}

/**
 * DigestAuthenticationProvider.isValid: `id.split(":").length == 2`. Java's split drops trailing
 * empty strings, so "alice:" (one part) and "a:b:c" (three) are invalid but ":hash" is valid.
 */
export function digestIsValid(id: string): boolean {
  return javaSplit(id, ':').length === 2;
}

/** DigestAuthenticationProvider.matches */
export function digestMatches(id: string, aclExpr: string): boolean {
  return id === aclExpr;
}
