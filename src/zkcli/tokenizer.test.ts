import { describe, expect, it } from 'vitest';
import { tokenizeCommand } from './tokenizer.ts';

describe('tokenizeCommand (MyCommandOptions.parseCommand)', () => {
  it.each([
    ['ls /', ['ls', '/']],
    ['create    /multispace     data', ['create', '/multispace', 'data']],
    ['   ls /', ['ls', '/']],
    ['ls /\t', ['ls', '/']],
    ['create /withspaces "hello world"', ['create', '/withspaces', 'hello world']],
    ["create /singlequoted 'single quoted'", ['create', '/singlequoted', 'single quoted']],
    ['create /d "   spaces   "', ['create', '/d', '   spaces   ']],
    ['create /emptystr ""', ['create', '/emptystr', '']],
    ['create /quotes "say \\"hi\\""', ['create', '/quotes', 'say \\', 'hi\\""']],
    ['create /unterminated "abc', ['create', '/unterminated', 'abc']],
    ['create /mixed "it\'s"', ['create', '/mixed', "it's"]],
    ['create /json {"a":1,"b":[1,2]}', ['create', '/json', '{"a":1,"b":[1,2]}']],
    ['create /esc a\\nb', ['create', '/esc', 'a\\nb']],
    ['create /tab\tx', ['create', '/tab', 'x']],
  ])('%j', (line, words) => {
    expect(tokenizeCommand(line)).toEqual(words);
  });

  it('reads a line of spaces as the one-space command', () => {
    expect(tokenizeCommand('   ')).toEqual([' ']);
  });

  it('finds no word in a lone quote (parseCommand returns false)', () => {
    expect(tokenizeCommand('"')).toEqual([]);
    expect(tokenizeCommand("'")).toEqual([]);
  });

  it('treats only ASCII whitespace as a separator, as Java\'s \\s does', () => {
    expect(tokenizeCommand('ls\u00a0/')).toEqual(['ls\u00a0/']);
    expect(tokenizeCommand('ls\u3000/ x')).toEqual(['ls\u3000/', 'x']);
  });
});
