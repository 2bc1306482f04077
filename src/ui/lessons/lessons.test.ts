import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../runtime/scenario/scenario.ts';
import { runScenario } from '../../runtime/scenario/run-scenario.ts';
import { lessons } from './lessons.ts';

describe('lessons', () => {
  it('are all there', () => {
    expect(lessons.length).toBe(9);
  });

  for (const l of lessons) {
    describe(l.id, () => {
      it('has English and Chinese text for its title, summary and every step', () => {
        expect(l.title.en).not.toBe(l.id);
        expect(l.title.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(l.summary.zh).toMatch(/[\u4e00-\u9fff]/);
        expect(l.steps.length).toBeGreaterThan(1);
        for (const s of l.steps) {
          expect(s.text.en.length).toBeGreaterThan(10);
          expect(s.text.zh).toMatch(/[\u4e00-\u9fff]/);
          expect(s.script.trim().length).toBeGreaterThan(0);
        }
      });

      it('is a valid scenario that runs without errors on the simulator', () => {
        const parsed = parseScenario(l.source);
        expect(parsed.ok ? [] : parsed.errors).toEqual([]);
        if (!parsed.ok) return;
        const out = runScenario([...parsed.steps, { kind: 'status', line: 9999 }]);
        expect(out).not.toMatch(/error at line/);
        expect(out).not.toMatch(/did not settle/);
        if (l.id === '01-five-servers') expect(out).toMatch(/server\.3 leading/);
      });
    });
  }
});
