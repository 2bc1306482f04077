/**
 * Runs the Fast Leader Election transcripts (test/transcripts/election/*.txt) through the
 * election command handler; `UPDATE_TRANSCRIPTS=1` rewrites them with what the code prints.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from '../../harness/datadriven.ts';
import { ElectionTranscript } from '../../../src/engine/election/election-transcript.ts';

const dir = import.meta.dirname;

describe('election transcripts', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

  it('has transcripts', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const file of files) {
    it(file, () => {
      const t = new ElectionTranscript();
      const result = runTranscript(join(dir, file), (cmd) => t.handle(cmd));
      const report = result.failures.map((f) => `line ${f.line}: ${f.command}\n--- expected\n${f.expected}\n--- actual\n${f.actual}`).join('\n\n');
      expect(report).toBe('');
    });
  }
});
