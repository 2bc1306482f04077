import { describe, expect, it } from 'vitest';
import { describeCommands, ElectionTranscript } from './election-transcript.ts';

describe('election transcript commands', () => {
  it('runs a small script and prints events as t=<ms> lines', () => {
    const t = new ElectionTranscript();
    expect(t.handle('cluster voters=1,2,3 latency=2')).toBe('3 servers, none running');
    expect(t.handle('set 2 zxid=0x100000001 epoch=1')).toBe('2 lastLoggedZxid=0x100000001 currentEpoch=1');
    t.handle('show decisions');
    t.handle('start 1 2 3');
    expect(t.handle('stabilize').split('\n')).toEqual([
      't=204 1 FOLLOWING leader 2 round 1',
      't=204 2 LEADING leader 2 round 1',
      't=204 3 FOLLOWING leader 2 round 1',
      'stable after 204 ms',
    ]);
    expect(t.handle('status')).toContain('2 LEADING decided round=1');
  });

  it('injects crafted notifications', () => {
    const t = new ElectionTranscript();
    t.handle('cluster voters=1,2,3');
    t.handle('start 1');
    t.handle('show messages');
    expect(t.handle('inject 1 from=2 state=FOLLOWING leader=3 zxid=0x0 round=4 peerEpoch=0').split('\n')).toEqual([
      't=0 1 <- 2 Notification sid=2 state=FOLLOWING leader=3 round=4 peerEpoch=0x0 zxid=0x0 (injected)',
      't=0 1 [round 1] recorded FOLLOWING vote of 2 for leader 3 round 4; with that leader: 2: no quorum (2 needed)',
    ]);
  });

  it('reports a stabilize that runs out of time', () => {
    const t = new ElectionTranscript();
    t.handle('cluster voters=1,2,3');
    t.handle('show decisions');
    t.handle('start 1');
    expect(t.handle('stabilize limit=1000')).toBe('not stable within 1000 ms');
  });

  it('refuses unknown commands and bad arguments', () => {
    const t = new ElectionTranscript();
    expect(() => t.handle('frobnicate')).toThrow(/unknown command frobnicate/);
    expect(() => t.handle('show everything')).toThrow(/show messages\|log\|decisions/);
    expect(() => t.handle('run soon')).toThrow(/not an integer/);
    expect(() => t.handle('start 9')).toThrow(/no server 9/);
    expect(describeCommands().split('\n').length).toBe(14);
  });
});
