import { describe, expect, it } from 'vitest';
import { childName, joinPath, parentPath, validatePath } from './path.ts';

const invalid = (path: string, reason: string): string => `Invalid path string "${path}" caused by ${reason}`;

describe('validatePath (PathUtils.validatePath)', () => {
  // The golden corpus (invalid_paths.out) and PathUtils' own loop.
  it.each([
    ['abc', 'Path must start with / character'],
    ['', 'Path length must be > 0'],
    ['a/b', 'Path must start with / character'],
    ['/a/', 'Path must not end with / character'],
    ['//', 'Path must not end with / character'],
    ['/ok/', 'Path must not end with / character'],
    ['/a//b', invalid('/a//b', 'empty node name specified @3')],
    ['//a', invalid('//a', 'empty node name specified @1')],
    ['/.', invalid('/.', 'relative paths not allowed @1')],
    ['/..', invalid('/..', 'relative paths not allowed @2')],
    ['/a/.', invalid('/a/.', 'relative paths not allowed @3')],
    ['/a/..', invalid('/a/..', 'relative paths not allowed @4')],
    ['/a/./b', invalid('/a/./b', 'relative paths not allowed @3')],
    ['/a/../b', invalid('/a/../b', 'relative paths not allowed @4')],
    ['/./a', invalid('/./a', 'relative paths not allowed @1')],
    ['/a\u0000b', invalid('/a\u0000b', 'null character not allowed @2')],
    ['/\u0000', invalid('/\u0000', 'null character not allowed @1')],
    ['/a\u0001', invalid('/a\u0001', 'invalid character @2')],
    ['/tab\tx', invalid('/tab\tx', 'invalid character @4')],
    ['/a\u001f', invalid('/a\u001f', 'invalid character @2')],
    ['/\u007f', invalid('/\u007f', 'invalid character @1')],
    ['/\u009f', invalid('/\u009f', 'invalid character @1')],
    ['/\ud800', invalid('/\ud800', 'invalid character @1')],
    ['/\uf8ff', invalid('/\uf8ff', 'invalid character @1')],
    ['/\ufff0', invalid('/\ufff0', 'invalid character @1')],
    ['/\uffff', invalid('/\uffff', 'invalid character @1')],
    // outside the BMP: the high surrogate is the first bad UTF-16 unit
    ['/ab😀', invalid('/ab😀', 'invalid character @3')],
    // only the first problem counts
    ['/a//b/../\u0001', invalid('/a//b/../\u0001', 'empty node name specified @3')],
    ['/\u0001//', 'Path must not end with / character'],
  ])('%j -> %s', (path, message) => {
    expect(validatePath(path)).toBe(message);
  });

  it.each([
    '/',
    '/a',
    '/zookeeper/quota',
    '/.hidden',
    '/a..b',
    '/a/.b',
    '/a/b.',
    '/...',
    '/a/.../b',
    '/..a',
    '/a..',
    '/with space',
    '/ünïcödé',
    '/\u0020',
    '/\u00a0',
    '/\u00ff',
    '/\ud7ff',
    '/\uf900',
    '/\uffef',
    '/日本',
  ])('%j is valid', (path) => {
    expect(validatePath(path)).toBeNull();
  });

  it('a "." next to an invalid character never reaches the range check', () => {
    // Java's if/else chain: a '.' is judged only as a relative component.
    expect(validatePath('/.\u0001')).toBe(invalid('/.\u0001', 'invalid character @2'));
    expect(validatePath('/\u0001.')).toBe(invalid('/\u0001.', 'invalid character @1'));
  });

  it('null', () => {
    expect(validatePath(null)).toBe('Path cannot be null');
    // Java: validatePath(null + "1") = validatePath("null1")
    expect(validatePath(null, true)).toBe('Path must start with / character');
  });

  describe('sequential: validatePath(path + "1")', () => {
    it.each([
      ['/', null],
      ['/a/', null],
      ['/a/b-', null],
      ['/.', null],
      ['/a/..', null],
      ['', 'Path must start with / character'],
      ['/a//', invalid('/a//1', 'empty node name specified @3')],
      ['//', invalid('//1', 'empty node name specified @1')],
      ['/a/./', invalid('/a/./1', 'relative paths not allowed @3')],
      ['/a\u0000', invalid('/a\u00001', 'null character not allowed @2')],
      ['a', 'Path must start with / character'],
    ])('%j -> %s', (path, message) => {
      expect(validatePath(path, true)).toBe(message);
    });
  });
});

describe('parentPath / childName / joinPath', () => {
  it.each([
    ['/a', '/', 'a'],
    ['/a/b', '/a', 'b'],
    ['/a/b/c', '/a/b', 'c'],
    ['/zookeeper/quota', '/zookeeper', 'quota'],
    ['/', '/', ''],
  ])('%j -> parent %j, name %j', (path, parent, name) => {
    expect(parentPath(path)).toBe(parent);
    expect(childName(path)).toBe(name);
    if (path !== '/') expect(joinPath(parent, name)).toBe(path);
  });

  it('takes the text before the last slash, as DataTree does, even for an unvalidated path', () => {
    // a raw create of "a/b" must look up "a" and fail NoNode, not crash the server
    expect(parentPath('a/b')).toBe('a');
    expect(childName('a/b')).toBe('b');
  });

  it('joinPath joins under the root without a double slash', () => {
    expect(joinPath('/', 'a')).toBe('/a');
    expect(joinPath('/a', 'b')).toBe('/a/b');
    expect(joinPath('/a/b', 'seq-0000000001')).toBe('/a/b/seq-0000000001');
  });

  it('asserts on caller bugs', () => {
    expect(() => parentPath('abc')).toThrow(/parentPath/);
    expect(() => childName('abc')).toThrow(/childName/);
    expect(() => joinPath('a', 'b')).toThrow(/joinPath/);
    expect(() => joinPath('/a', '')).toThrow(/joinPath/);
    expect(() => joinPath('/a', 'b/c')).toThrow(/joinPath/);
  });
});
