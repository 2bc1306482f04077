/**
 * A small data-driven transcript runner (cockroachdb/datadriven's format, STYLE.md 10):
 *
 *   # prose: what this file checks
 *   command arg arg
 *   ----
 *   expected output
 *   (blank line ends the block)
 *
 * Each file's commands run in order against one handler; the handler returns the output text.
 * `UPDATE_TRANSCRIPTS=1` rewrites the expected blocks with what the code printed, so behaviour
 * changes show up as diffs for a reviewer.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export interface Block {
  readonly line: number;
  readonly command: string;
  readonly expected: string;
}

export interface ParsedFile {
  readonly prose: string[];
  readonly blocks: Block[];
  /** text before each block (comments, blank lines), kept when rewriting */
  readonly lead: string[];
}

export function parseTranscript(text: string): ParsedFile {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  const lead: string[] = [];
  const prose: string[] = [];
  let pending: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('#') || line.trim() === '') {
      pending.push(line);
      if (line.startsWith('#') && blocks.length === 0) prose.push(line);
      continue;
    }
    const command = line;
    const start = i + 1;
    if (lines[i + 1] !== '----') throw new Error(`line ${i + 1}: expected ---- after command "${command}"`);
    i += 2;
    const out: string[] = [];
    while (i < lines.length && lines[i] !== '') out.push(lines[i++]);
    blocks.push({ line: start, command, expected: out.join('\n') });
    lead.push(pending.join('\n'));
    pending = [];
  }
  return { prose, blocks, lead };
}

export interface TranscriptResult {
  readonly file: string;
  readonly failures: { line: number; command: string; expected: string; actual: string }[];
}

/** Runs a file; with UPDATE_TRANSCRIPTS=1 rewrites it instead of failing. */
export function runTranscript(file: string, handler: (command: string) => string): TranscriptResult {
  const parsed = parseTranscript(readFileSync(file, 'utf8'));
  if (parsed.prose.length === 0) throw new Error(`${file}: a transcript opens with # prose stating its goal`);
  const failures: TranscriptResult['failures'] = [];
  const actuals: string[] = [];
  for (const block of parsed.blocks) {
    const actual = handler(block.command).replace(/\n+$/, '');
    actuals.push(actual);
    if (actual !== block.expected) failures.push({ line: block.line, command: block.command, expected: block.expected, actual });
  }
  if (process.env.UPDATE_TRANSCRIPTS === '1') {
    let text = '';
    parsed.blocks.forEach((b, i) => {
      const lead = parsed.lead[i];
      text += (lead ? lead + '\n' : '') + `${b.command}\n----\n${actuals[i]}${actuals[i] === '' ? '' : '\n'}\n`;
    });
    writeFileSync(file, text.replace(/\n+$/, '\n'));
    return { file, failures: [] };
  }
  return { file, failures };
}
