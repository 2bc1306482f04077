/**
 * ZooKeeperMain.MyCommandOptions.parseCommand: how zkCli splits a typed line into words.
 *
 *   ARGS_PATTERN   = \s*([^"']\S*|"[^"]*"|'[^']*')\s*     (found repeatedly, Matcher.find)
 *   QUOTED_PATTERN = ^(['"])(.*)(\1)$                       (a word in matching quotes loses them)
 *
 * So quotes group words and are removed, there are no escapes (`"say \"hi\""` splits into
 * `say \` and `hi\""`), and an unmatched quote is skipped by find() (`"abc` gives `abc`). A word
 * may start with any non-quote character, whitespace included, which is why a line of spaces is
 * the one-space command " " (golden unknown_command.out).
 *
 * Java's \s and \S are ASCII-only ([ \t\n\x0B\f\r]); JavaScript's are Unicode, so they are spelled
 * out. Java's `.` excludes the line terminators \n \r \u0085 \u2028 \u2029.
 */
const argsPattern = /[ \t\n\x0B\f\r]*([^"'][^ \t\n\x0B\f\r]*|"[^"]*"|'[^']*')[ \t\n\x0B\f\r]*/g;
const quotedPattern = /^(['"])([^\n\r\u0085\u2028\u2029]*)\1$/;
/** A line of n characters yields at most n words; a bound for the find() loop. */
const lineWordsMax = 1 << 20;

/** The words of a line; an empty list where Java's parseCommand returns false. */
export function tokenizeCommand(line: string): string[] {
  const words: string[] = [];
  argsPattern.lastIndex = 0;
  for (let i = 0; i < lineWordsMax; i++) {
    const m = argsPattern.exec(line);
    if (m === null) break;
    let value = m[1];
    if (quotedPattern.test(value)) value = value.slice(1, value.length - 1);
    words.push(value);
  }
  argsPattern.lastIndex = 0;
  return words;
}
