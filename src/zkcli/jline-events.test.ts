import { describe, expect, it } from 'vitest';
import { JLineHistory } from './jline-events.ts';

describe('JLine event expansion', () => {
  it('expands from its own history, echoes the result and keeps `!` escaped in the history', () => {
    const h = new JLineHistory();
    expect(h.finish('create /a x\\!y')).toEqual({ line: 'create /a x!y', echo: 'create /a x!y\n', error: null });
    // the history holds `x\!y`, so `!!` gives the escaped text back and does not expand it again
    expect(h.finish('!!').line).toBe('create /a x\\!y');
    // ... and that line goes into the history escaped once more, as JLine does
    expect(h.finish('get !$').line).toBe('get x\\\\!y');
    expect(h.finish('hi!').echo).toBeNull();
  });

  it('drops a line whose event is not found and logs the failure', () => {
    const h = new JLineHistory();
    const r = h.finish('create /b x!y');
    expect(r.line).toBe('');
    expect(r.error?.startsWith('[ERROR] Could not expand event\njava.lang.IllegalArgumentException: !y: event not found\n')).toBe(true);
  });

  it('restores the history a checkpoint saved', () => {
    const h = new JLineHistory();
    h.finish('ls /');
    const again = new JLineHistory();
    again.restore(h.save());
    expect(again.finish('!l').line).toBe('ls /');
  });
});
