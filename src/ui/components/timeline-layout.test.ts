import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../runtime/playground/api.ts';
import type { TimelineMark, TimelineMessage } from '../store/view-models.ts';
import { fitColumnWidth, rowHeights, shortLabel, timelineLayout, TimelineTrack, type LabelBox, type TimelineArrow, type TimelineMarkLayout } from './timeline-layout.ts';

/** A long, busy run: 5 servers, hundreds of messages, many at nearly the same virtual time. */
function busy(n: number): { messages: TimelineMessage[]; marks: TimelineMark[] } {
  const kinds: MessageKind[] = ['proposal', 'ack', 'commit', 'notification', 'sync'];
  const words = ['PROPOSAL 0x100000001', 'ACK 0x100000001', 'COMMIT 0x100000001', 'NOTIFICATION leader=3', 'UPTODATE'];
  const messages: TimelineMessage[] = [];
  for (let i = 0; i < n; i++) {
    const from = 1 + (i % 5);
    const to = 1 + ((i * 3 + 1) % 5);
    messages.push({ msgId: i, from, to: to === from ? 1 + (to % 5) : to, kind: kinds[i % 5], text: words[i % 5], sentT: 1000 + Math.floor(i / 3), sentSeq: i, doneT: 1000 + Math.floor(i / 3) + 1 + (i % 4), dropped: i % 50 === 7 });
  }
  const marks: TimelineMark[] = [];
  for (let i = 0; i < n / 10; i++) marks.push({ t: 1000 + i * 3, seq: i, sid: 1 + (i % 5), text: 'FOLLOWING broadcast', kind: 'role', role: 'following' });
  marks.push({ t: 1010, seq: n, sid: null, text: 'kill 3', kind: 'fault' });
  return { messages, marks };
}

const overlap = (a: LabelBox, b: LabelBox): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

describe('timeline layout', () => {
  it('never lets two labels overlap, at every zoom, and shows more of them zoomed in', () => {
    const { messages, marks } = busy(400);
    const shown: number[] = [];
    for (const rowHeight of rowHeights) {
      const l = timelineLayout(messages, marks, [1, 2, 3, 4, 5], { rowHeight, columnWidth: fitColumnWidth(600, 5) });
      const boxes = [...l.arrows.map((a) => a.label), ...l.marks.map((m) => m.label)].filter((b): b is NonNullable<typeof b> => b !== null);
      const clashes: string[] = [];
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i], boxes[j])) clashes.push(`${boxes[i].text} / ${boxes[j].text}`);
      expect(clashes).toEqual([]);
      // labels stay inside the diagram
      for (const b of boxes) expect(b.x + b.w).toBeLessThanOrEqual(l.width + 1);
      shown.push(l.arrows.filter((a) => a.label !== null).length);
      expect(l.arrows).toHaveLength(400);
    }
    for (let i = 1; i < shown.length; i++) expect(shown[i]).toBeGreaterThanOrEqual(shown[i - 1]);
    expect(shown[0]).toBeGreaterThan(0);
    expect(shown.at(-1)!).toBeGreaterThan(shown[0]);
  });

  it('labels the faults before anything else, and a message by its first word', () => {
    const { messages, marks } = busy(300);
    const l = timelineLayout(messages, marks, [1, 2, 3, 4, 5], { rowHeight: rowHeights[0] });
    expect(l.marks.find((m) => m.kind === 'fault')!.label?.text).toBe('kill 3');
    expect(shortLabel('PROPOSAL 0x100000001 session=0x1', 'proposal')).toBe('PROPOSAL');
    expect(shortLabel('', 'ack')).toBe('ack');
  });

  it('fits five columns into the pane of a 1280x720 window', () => {
    const w = fitColumnWidth(570, 5);
    expect(70 + 5 * w).toBeLessThanOrEqual(570);
    expect(fitColumnWidth(300, 9)).toBe(100); // never narrower than a header
  });
});

describe('timeline track (the layout kept between redraws)', () => {
  /**
   * A live stream: message i is sent at 1000 + i/3 ms and reported delivered 4 messages later;
   * every 7th is reported late, at a time before the newest already drawn (workers' reports
   * reach the page out of time order).
   */
  function stream(n: number): TimelineMessage[] {
    const { messages } = busy(n);
    return messages.map((m, i) => ({ ...m, sentT: i % 7 === 3 ? m.sentT - 2.5 : m.sentT, doneT: null, dropped: false }));
  }
  /** the view model after `upTo` messages were sent: the newest `keep`, those 4 or more older delivered */
  function window(all: readonly TimelineMessage[], upTo: number, keep: number): TimelineMessage[] {
    return all.slice(Math.max(0, upTo - keep), upTo).map((m, i, w) => (m.msgId < upTo - 4 ? { ...m, doneT: m.sentT + 1 + (i % 3), dropped: m.msgId % 50 === 7 } : w[i]));
  }
  const sids = [1, 2, 3, 4, 5];

  it('keeps every arrow, mark and label where it was as the window slides, and labels never overlap', () => {
    const all = stream(2000);
    const { marks } = busy(2000);
    const track = new TimelineTrack();
    let prev = new Map<number, TimelineArrow>();
    let prevMarks = new Map<number, TimelineMarkLayout>();
    let moved = 0;
    for (let upTo = 40; upTo <= 2000; upTo += 37) {
      const shown = window(all, upTo, 300);
      const l = track.update(shown, marks.filter((m) => m.seq < upTo / 10).slice(-150), sids, { rowHeight: rowHeights[1], columnWidth: fitColumnWidth(600, 5) });
      // the count and order of the messages shown are the view model's
      expect(l.arrows.map((a) => a.msgId)).toEqual(shown.map((m) => m.msgId));
      const boxes = [...l.arrows.map((a) => a.label), ...l.marks.map((m) => m.label)].filter((b): b is NonNullable<typeof b> => b !== null);
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j])).toBe(false);
      for (const a of l.arrows) {
        const was = prev.get(a.msgId);
        if (!was) continue;
        expect(a.y1).toBe(was.y1);
        // a message reported delivered since is drawn again (its arrow ends lower); nothing else is
        if (was.doneT === a.doneT) expect(a).toBe(was);
        else moved++;
      }
      for (const m of l.marks) if (prevMarks.has(m.seq)) expect(m).toBe(prevMarks.get(m.seq));
      // the diagram starts at its first row
      expect(Math.min(...l.arrows.map((a) => a.y1)) - l.top).toBeGreaterThan(0);
      expect(Math.max(...l.arrows.map((a) => a.y2)) - l.top).toBeLessThanOrEqual(l.height);
      prev = new Map(l.arrows.map((a) => [a.msgId, a]));
      prevMarks = new Map(l.marks.map((m) => [m.seq, m]));
    }
    expect(moved).toBeGreaterThan(0);
  });

  it('keeps the time axis in order, a late report between its neighbours', () => {
    const all = stream(600);
    const track = new TimelineTrack();
    let l = track.update(window(all, 20, 300), [], sids);
    for (let upTo = 20; upTo <= 600; upTo += 20) l = track.update(window(all, upTo, 300), [], sids);
    const bySend = [...l.arrows].sort((a, b) => a.sentT - b.sentT || a.sentSeq - b.sentSeq);
    for (let i = 1; i < bySend.length; i++) expect(bySend[i].y1).toBeGreaterThan(bySend[i - 1].y1);
    for (const a of l.arrows) expect(a.y2).toBeGreaterThan(a.y1);
  });

  it('lays out afresh what does not continue the last layout (a rewind, another zoom)', () => {
    const all = stream(400);
    const track = new TimelineTrack();
    track.update(window(all, 400, 300), [], sids);
    const rewound = window(all, 250, 300);
    expect(track.update(rewound, [], sids)).toEqual(timelineLayout(rewound, [], sids));
    expect(track.update(rewound, [], sids, { rowHeight: rowHeights[3] })).toEqual(timelineLayout(rewound, [], sids, { rowHeight: rowHeights[3] }));
    expect(track.update([], [], sids).rows).toBe(0);
  });
});

describe('timeline track, bad input', () => {
  it('lays out times that are not numbers, and a message twice, without throwing', () => {
    const m = (msgId: number, sentT: number, doneT: number | null): TimelineMessage => ({ msgId, from: 1, to: 2, kind: 'ack', text: 'ACK', sentT, sentSeq: msgId, doneT, dropped: false });
    const track = new TimelineTrack();
    track.update([m(1, 10, 12), m(2, 20, null)], [], [1, 2]);
    const l = track.update([m(1, 10, 12), m(2, 20, Number.NaN), m(3, Number.NaN, null), m(3, 5, 30)], [{ t: Number.NaN, seq: 9, sid: 1, text: 'LEADING', kind: 'role', role: 'leading' }], [1, 2]);
    expect(l.arrows).toHaveLength(4);
    expect(timelineLayout([m(1, Number.NaN, Number.NaN)], [], [1, 2]).arrows).toHaveLength(1);
  });
});
