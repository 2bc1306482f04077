/**
 * A small line diff (Myers' O(ND) algorithm) and a unified-style rendering that shows the first
 * differences with a few lines of context. Pure: no I/O.
 */

export type DiffOp =
  | { op: 'equal'; a: number; b: number }
  | { op: 'delete'; a: number }
  | { op: 'insert'; b: number };

/** Above this many lines (after trimming the common prefix and suffix) the middle is simply replaced. */
const MAX_MYERS_LINES = 20_000;

/**
 * Shortest edit script turning `a` into `b` (Myers 1986), as equal/delete/insert operations in
 * order; indices point into `a` and `b`.
 */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  let pre = 0;
  while (pre < a.length && pre < b.length && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < a.length - pre && suf < b.length - pre && a[a.length - 1 - suf] === b[b.length - 1 - suf]) suf++;

  const ops: DiffOp[] = [];
  for (let i = 0; i < pre; i++) ops.push({ op: 'equal', a: i, b: i });
  const n = a.length - pre - suf;
  const m = b.length - pre - suf;
  if (n + m > MAX_MYERS_LINES) {
    for (let i = 0; i < n; i++) ops.push({ op: 'delete', a: pre + i });
    for (let j = 0; j < m; j++) ops.push({ op: 'insert', b: pre + j });
  } else {
    for (const op of myers(a, b, pre, n, m)) ops.push(op);
  }
  for (let i = 0; i < suf; i++) ops.push({ op: 'equal', a: a.length - suf + i, b: b.length - suf + i });
  return ops;
}

function myers(a: readonly string[], b: readonly string[], base: number, n: number, m: number): DiffOp[] {
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[base + x] === b[base + y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }

  // Walk back from (n, m) through the saved V arrays.
  const rev: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      rev.push({ op: 'equal', a: base + x, b: base + y });
    }
    if (d > 0) {
      if (x === prevX) rev.push({ op: 'insert', b: base + prevY });
      else rev.push({ op: 'delete', a: base + prevX });
    }
    x = prevX;
    y = prevY;
  }
  return rev.reverse();
}

/** A text cut into lines; `eol[i]` is false only for a last line without a trailing `\n`. */
export interface TextLines {
  lines: string[];
  noNewlineAtEnd: boolean;
}

export function splitLines(text: string): TextLines {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') {
    lines.pop();
    return { lines, noNewlineAtEnd: false };
  }
  return { lines, noNewlineAtEnd: true };
}

/** Control characters made visible (`\x00`, `\r` …); tabs and everything else stay. */
export function visible(line: string): string {
  return line.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => {
    if (c === '\r') return '\\r';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

export interface UnifiedDiffInput {
  expected: TextLines;
  actual: TextLines;
  /** What is compared (defaults to the lines themselves); one per line. */
  expectedKeys?: readonly string[];
  actualKeys?: readonly string[];
  expectedLabel: string;
  actualLabel: string;
  /** Lines of context around each change (default 3). */
  context?: number;
  /** At most this many lines of hunks (default 60); the rest is summarised. */
  maxLines?: number;
}

/**
 * A unified diff (`--- / +++ / @@ -a,b +c,d @@`) of the two texts, comparing the keys but
 * showing the real lines (context lines as expected has them). Returns '' when equal. Only the
 * first `maxLines` lines of hunks are shown.
 */
export function unifiedDiff(input: UnifiedDiffInput): string {
  const { expected, actual } = input;
  const context = input.context ?? 3;
  const maxLines = input.maxLines ?? 60;
  const withEol = (keys: readonly string[], t: TextLines): string[] =>
    keys.map((k, i) => (i === keys.length - 1 && t.noNewlineAtEnd ? k : `${k}\n`));
  const aKeys = withEol(input.expectedKeys ?? expected.lines, expected);
  const bKeys = withEol(input.actualKeys ?? actual.lines, actual);
  const ops = diffLines(aKeys, bKeys);
  const changed = ops.filter((o) => o.op !== 'equal').length;
  if (changed === 0) return '';

  // a/b line positions before each op
  const aPos: number[] = [];
  const bPos: number[] = [];
  let ap = 0;
  let bp = 0;
  for (const o of ops) {
    aPos.push(ap);
    bPos.push(bp);
    if (o.op !== 'insert') ap++;
    if (o.op !== 'delete') bp++;
  }

  const out: string[] = [`--- ${input.expectedLabel}`, `+++ ${input.actualLabel}`];
  let shown = 0;
  let shownChanges = 0;
  let truncated = false;
  let i = 0;
  while (i < ops.length && !truncated) {
    if (ops[i].op === 'equal') {
      i++;
      continue;
    }
    const start = Math.max(0, i - context);
    let lastChange = i;
    let j = i;
    while (j < ops.length && j - lastChange <= 2 * context) {
      if (ops[j].op !== 'equal') lastChange = j;
      j++;
    }
    const end = Math.min(ops.length, lastChange + context + 1);
    let aLen = 0;
    let bLen = 0;
    for (let h = start; h < end; h++) {
      if (ops[h].op !== 'insert') aLen++;
      if (ops[h].op !== 'delete') bLen++;
    }
    const aStart = aLen === 0 ? aPos[start] : aPos[start] + 1;
    const bStart = bLen === 0 ? bPos[start] : bPos[start] + 1;
    out.push(`@@ -${aStart},${aLen} +${bStart},${bLen} @@`);
    for (let h = start; h < end; h++) {
      if (shown >= maxLines) {
        truncated = true;
        break;
      }
      const o = ops[h];
      let text: string;
      let noEol: boolean;
      if (o.op === 'insert') {
        text = `+${visible(actual.lines[o.b])}`;
        noEol = actual.noNewlineAtEnd && o.b === actual.lines.length - 1;
        shownChanges++;
      } else {
        text = `${o.op === 'delete' ? '-' : ' '}${visible(expected.lines[o.a])}`;
        noEol = expected.noNewlineAtEnd && o.a === expected.lines.length - 1;
        if (o.op === 'delete') shownChanges++;
      }
      out.push(text);
      shown++;
      if (noEol) out.push('\\ No newline at end of file');
    }
    i = end;
  }
  if (truncated || shownChanges < changed) {
    out.push(`... diff cut short: ${changed - shownChanges} more changed line(s) not shown`);
  }
  return out.join('\n');
}
