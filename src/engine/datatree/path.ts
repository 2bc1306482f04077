/**
 * Znode paths: PathUtils.validatePath (reference §6.8) with the exact messages Java throws, and
 * the parent/child arithmetic the data tree uses.
 *
 * validatePath walks UTF-16 code units, as Java's `char[]` loop does, so a character outside the
 * BMP is two units, both in the invalid range D800..F8FF: any emoji makes a path invalid, reported
 * at the index of its high surrogate. Only the first problem is reported.
 */
import { assert } from '../util/assert.ts';

/**
 * PathUtils.validatePath(path, isSequential): null when valid, else the IllegalArgumentException
 * message. A sequential create validates `path + "1"` (the server appends a counter), so "/a/" is
 * a valid sequential path and a message quotes the path with the "1". Java's `null + "1"` is the
 * string "null1", hence the start-with-/ message for a null sequential path.
 */
export function validatePath(path: string | null, isSequential = false): string | null {
  if (isSequential) return validate(`${path}1`);
  if (path === null) return 'Path cannot be null';
  return validate(path);
}

function validate(path: string): string | null {
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charAt(0) !== '/') return 'Path must start with / character';
  if (path.length === 1) return null; // the root
  if (path.charAt(path.length - 1) === '/') return 'Path must not end with / character';
  const reason = firstProblem(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

/** Java's loop, branch for branch: a "." that is not a whole component skips the range check. */
function firstProblem(p: string): string | null {
  let last = 0x2f; // '/'
  for (let i = 1; i < p.length; last = p.charCodeAt(i), i++) {
    const c = p.charCodeAt(i);
    const componentEnds = i + 1 === p.length || p.charCodeAt(i + 1) === 0x2f;
    if (c === 0) return `null character not allowed @${i}`;
    if (c === 0x2f && last === 0x2f) return `empty node name specified @${i}`;
    if (c === 0x2e && last === 0x2e) {
      // ".." as a whole component; i >= 2 here because `last` starts as '/'
      if (p.charCodeAt(i - 2) === 0x2f && componentEnds) return `relative paths not allowed @${i}`;
    } else if (c === 0x2e) {
      if (p.charCodeAt(i - 1) === 0x2f && componentEnds) return `relative paths not allowed @${i}`;
    } else if (isInvalidChar(c)) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

/** Control characters, C1 controls, surrogates and the private use area, and U+FFF0..U+FFFF. */
function isInvalidChar(c: number): boolean {
  return (c > 0x00 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0;
}

/**
 * "/a/b" -> "/a", "/a" -> "/". Java's DataTree takes `path.substring(0, lastSlash)`, which makes
 * the root's children's parent "" (an alias of "/" in its node map); we use "/" throughout. "/"
 * itself maps to "/", as Java's "" does, so creating "/" finds its parent and fails NodeExists.
 * Like Java it only needs a '/': the server's create checks nothing more before looking the
 * parent up, so a raw request for "a/b" looks for "a" and fails NoNode rather than crashing.
 */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  assert(i >= 0, `parentPath of a path with a '/', got ${JSON.stringify(path)}`);
  return i === 0 ? '/' : path.slice(0, i);
}

/** "/a/b" -> "b"; "/" -> "" (the root has no name). */
export function childName(path: string): string {
  const i = path.lastIndexOf('/');
  assert(i >= 0, `childName of a path with a '/', got ${JSON.stringify(path)}`);
  return path.slice(i + 1);
}

/** joinPath("/", "a") = "/a", joinPath("/a", "b") = "/a/b". */
export function joinPath(parent: string, child: string): string {
  assert(parent.startsWith('/'), `joinPath parent is absolute, got ${JSON.stringify(parent)}`);
  assert(child.length > 0 && !child.includes('/'), `joinPath child is one name, got ${JSON.stringify(child)}`);
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
