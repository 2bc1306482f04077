import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTranscript } from './harness/datadriven.ts';
import { ServerHarness } from './harness/server-harness.ts';

const dir = join(import.meta.dirname, 'transcripts', 'server');

describe('server transcripts', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    it(file, () => {
      const h = new ServerHarness();
      const result = runTranscript(join(dir, file), (cmd) => h.handle(cmd));
      const report = result.failures.map((f) => `line ${f.line}: ${f.command}\n--- expected\n${f.expected}\n--- actual\n${f.actual}`).join('\n\n');
      expect(report).toBe('');
    });
  }
});
