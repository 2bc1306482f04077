/**
 * Compares a golden transcript with the playground's, after the README's normalisation
 * (see normalize.ts), and explains the first differences as a unified diff. Pure: no I/O.
 */
import { splitLines, unifiedDiff } from './diff.ts';
import {
  extractWatcherFragments,
  is4lwUnorderedLine,
  mask4lwLines,
  normalizeTranscriptLines,
  type WatcherFragment,
} from './normalize.ts';

export interface CompareResult {
  equal: boolean;
  /** '' when equal; otherwise a readable explanation and a (capped) unified diff. */
  diff: string;
}

export interface CompareOptions {
  /** Used in the diff's labels. */
  caseName: string;
  /** Lines of context around each change (default 3). */
  context?: number;
  /** At most this many diff lines (default 60). */
  maxDiffLines?: number;
}

/** How far (in prompts of the same section) a WATCHER fragment may stand from where expected has it. */
export const WATCHER_PROMPT_TOLERANCE = 1;

/**
 * Compares two .out transcripts.
 *
 * 1. Every `WATCHER::` block is taken out of both texts, fragment by fragment (`\nWATCHER::\n` and
 *    `\nWatchedEvent …\n` are printed separately by zkCli's event thread, and a prompt may fall in
 *    between, as in ls_watch.out).
 * 2. What remains must be equal line by line after normalising ctime/mtime dates (the epoch date
 *    must be exact), session ids (a consistent renaming) and the `version` line.
 * 3. The fragments must be the same, in the same order, each in the same section (session or
 *    oneshot) and at most one prompt away from where expected has it: a block may stand just
 *    before or just after the output of the command that caused it.
 */
export function compareTranscripts(expected: string, actual: string, opts: CompareOptions): CompareResult {
  const e = extractWatcherFragments(expected);
  const a = extractWatcherFragments(actual);
  const eText = splitLines(e.remainder);
  const aText = splitLines(a.remainder);
  const eKeys = normalizeTranscriptLines(eText.lines);
  const aKeys = normalizeTranscriptLines(aText.lines);
  const restEqual =
    eText.noNewlineAtEnd === aText.noNewlineAtEnd && eKeys.length === aKeys.length && eKeys.every((k, i) => k === aKeys[i]);
  const problems = compareFragments(e.fragments, a.fragments);
  if (restEqual && problems.length === 0) return { equal: true, diff: '' };

  const labels = { expectedLabel: `expected/${opts.caseName}.out`, actualLabel: `actual ${opts.caseName}` };
  const parts: string[] = [];
  if (!restEqual) {
    parts.push(`${opts.caseName}: the transcripts differ (shown without their WATCHER:: blocks, which are compared apart):`);
    parts.push(
      unifiedDiff({
        expected: eText,
        actual: aText,
        expectedKeys: eKeys,
        actualKeys: aKeys,
        ...labels,
        context: opts.context,
        maxLines: opts.maxDiffLines,
      }),
    );
  }
  if (problems.length > 0) {
    parts.push(`${opts.caseName}: WATCHER:: blocks differ (each may stand at most ${WATCHER_PROMPT_TOLERANCE} prompt away from where expected has it):`);
    parts.push(...problems.map((p) => `  ${p}`));
    if (restEqual) {
      const eFull = splitLines(expected);
      const aFull = splitLines(actual);
      parts.push(
        unifiedDiff({
          expected: eFull,
          actual: aFull,
          expectedKeys: normalizeTranscriptLines(eFull.lines),
          actualKeys: normalizeTranscriptLines(aFull.lines),
          ...labels,
          context: opts.context,
          maxLines: opts.maxDiffLines,
        }),
      );
    }
  }
  return { equal: false, diff: parts.join('\n') };
}

function where(f: WatcherFragment): string {
  const section = f.sectionTitle === '' ? '' : ` in "${f.sectionTitle}"`;
  return `line ${f.line}${section}, after ${f.prompts} prompt(s)`;
}

const MAX_PROBLEMS = 8;

function compareFragments(e: readonly WatcherFragment[], a: readonly WatcherFragment[]): string[] {
  const problems: string[] = [];
  const q = (f: WatcherFragment): string => `"${f.text}"`;
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n && problems.length < MAX_PROBLEMS; i++) {
    const x = e[i];
    const y = a[i];
    if (x === undefined) {
      problems.push(`unexpected ${q(y)} at actual ${where(y)} (expected has only ${e.length} WATCHER fragments)`);
      break;
    }
    if (y === undefined) {
      problems.push(`missing ${q(x)} (expected at ${where(x)}; actual has only ${a.length} WATCHER fragments)`);
      break;
    }
    if (x.text !== y.text) {
      problems.push(`fragment #${i + 1}: expected ${q(x)} at ${where(x)}; actual ${q(y)} at ${where(y)}`);
      break; // the sequences are out of step from here on
    }
    if (x.section !== y.section || Math.abs(x.prompts - y.prompts) > WATCHER_PROMPT_TOLERANCE) {
      problems.push(`${q(x)} expected at ${where(x)}; actual at ${where(y)}`);
    }
  }
  return problems;
}

export interface Compare4lwOptions {
  /** Used in the diff's labels, e.g. `mntr.leader`. */
  name?: string;
  context?: number;
  maxDiffLines?: number;
}

/**
 * Compares two four-letter-word replies (`ensemble/4lw/WORD.ROLE.txt`) after masking the figures
 * that vary between real runs (see `mask4lwLines`). Runs of client-connection lines, which come in
 * hash order, are compared as sets.
 */
export function compare4lw(expected: string, actual: string, opts: Compare4lwOptions = {}): CompareResult {
  const name = opts.name ?? '4lw';
  const eText = splitLines(expected);
  const aText = splitLines(actual);
  const e = sortUnorderedRuns(eText.lines, mask4lwLines(eText.lines));
  const a = sortUnorderedRuns(aText.lines, mask4lwLines(aText.lines));
  const equal =
    eText.noNewlineAtEnd === aText.noNewlineAtEnd && e.keys.length === a.keys.length && e.keys.every((k, i) => k === a.keys[i]);
  if (equal) return { equal: true, diff: '' };
  const diff = unifiedDiff({
    expected: { lines: e.lines, noNewlineAtEnd: eText.noNewlineAtEnd },
    actual: { lines: a.lines, noNewlineAtEnd: aText.noNewlineAtEnd },
    expectedKeys: e.keys,
    actualKeys: a.keys,
    expectedLabel: `expected ${name}`,
    actualLabel: `actual ${name}`,
    context: opts.context,
    maxLines: opts.maxDiffLines,
  });
  return { equal: false, diff: `${name}: the replies differ (after masking run-dependent figures):\n${diff}` };
}

function sortUnorderedRuns(lines: readonly string[], keys: readonly string[]): { lines: string[]; keys: string[] } {
  const outLines: string[] = [];
  const outKeys: string[] = [];
  let i = 0;
  while (i < lines.length) {
    if (!is4lwUnorderedLine(lines[i])) {
      outLines.push(lines[i]);
      outKeys.push(keys[i]);
      i++;
      continue;
    }
    const run: { line: string; key: string }[] = [];
    while (i < lines.length && is4lwUnorderedLine(lines[i])) {
      run.push({ line: lines[i], key: keys[i] });
      i++;
    }
    run.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    for (const r of run) {
      outLines.push(r.line);
      outKeys.push(r.key);
    }
  }
  return { lines: outLines, keys: outKeys };
}
