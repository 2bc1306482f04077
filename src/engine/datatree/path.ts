/**
 * PathUtils.validatePath (reference §6.8), with the exact messages Java throws. Iterates UTF-16
 * code units as Java does. Returns null for a valid path.
 */
export function validatePath(path: string | null, isSequential = false): string | null {
  if (path === null) return 'Path cannot be null';
  return check(isSequential ? path + '1' : path);
}

function check(path: string): string | null {
  if (path.length === 0) return 'Path length must be > 0';
  if (path.charAt(0) !== '/') return 'Path must start with / character';
  if (path.length === 1) return null;
  if (path.charAt(path.length - 1) === '/') return 'Path must not end with / character';
  const reason = firstProblem(path);
  return reason === null ? null : `Invalid path string "${path}" caused by ${reason}`;
}

function firstProblem(p: string): string | null {
  let last = '/';
  for (let i = 1; i < p.length; last = p.charAt(i), i++) {
    const ch = p.charAt(i);
    const c = p.charCodeAt(i);
    const endsComponent = i + 1 === p.length || p.charAt(i + 1) === '/';
    if (c === 0) return `null character not allowed @${i}`;
    if (ch === '/' && last === '/') return `empty node name specified @${i}`;
    if (ch === '.' && last === '.') {
      if (p.charAt(i - 2) === '/' && endsComponent) return `relative paths not allowed @${i}`;
    } else if (ch === '.') {
      if (p.charAt(i - 1) === '/' && endsComponent) return `relative paths not allowed @${i}`;
    } else if ((c > 0 && c <= 0x1f) || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || (c >= 0xfff0 && c <= 0xffff)) {
      return `invalid character @${i}`;
    }
  }
  return null;
}

/** "/a/b" -> "/a"; "/a" -> "/" */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function childName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinPath(parent: string, child: string): string {
  return parent === '/' ? `/${child}` : `${parent}/${child}`;
}
