import { describe, expect, it } from 'vitest';
import type { MessageKind } from '../../runtime/playground/api.ts';
import type { TimelineMark, TimelineMessage } from '../store/view-models.ts';
import { fitColumnWidth, rowHeights, shortLabel, timelineLayout, type LabelBox } from './timeline-layout.ts';

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
  marks.push({ t: 1010, seq: 0, sid: null, text: 'kill 3', kind: 'fault' });
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
