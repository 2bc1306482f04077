/**
 * Sequence-diagram layout: one row per distinct virtual time (a Lamport-style compressed axis,
 * so a 4 ms message and a 2 s timeout both stay readable), an arrow from the sender's column
 * at its send time to the receiver's column at its delivery (or drop) time.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { MessageKind } from '../../runtime/playground/api.ts';
import type { TimelineMark, TimelineMessage } from '../store/view-models.ts';

export const rowHeightPx = 14;

export interface TimelineLayout {
  readonly column: ReadonlyMap<Sid, number>;
  readonly rows: number;
  readonly height: number;
  readonly arrows: readonly { msgId: number; from: Sid; to: Sid; kind: MessageKind; text: string; y1: number; y2: number; dropped: boolean }[];
  readonly marks: readonly { sid: Sid | null; text: string; kind: string; y: number }[];
  readonly ticks: readonly { y: number; t: number; seq: number }[];
}

export function timelineLayout(all: readonly TimelineMessage[], marks: readonly TimelineMark[], sids: readonly Sid[]): TimelineLayout {
  // server-to-server traffic only (client endpoints are numbered above the servers)
  const messages = all.filter((m) => sids.includes(m.from) && sids.includes(m.to));
  const column = new Map<Sid, number>();
  sids.forEach((s, i) => column.set(s, i));
  const times = new Set<number>();
  for (const m of messages) {
    times.add(m.sentT);
    if (m.doneT !== null) times.add(m.doneT);
  }
  const minT = messages.length > 0 ? Math.min(...messages.map((m) => m.sentT)) : Number.NEGATIVE_INFINITY;
  const shownMarks = marks.filter((m) => m.t >= minT);
  for (const m of shownMarks) times.add(m.t);
  const sorted = [...times].sort((a, b) => a - b);
  const row = new Map<number, number>();
  sorted.forEach((t, i) => row.set(t, i));
  const y = (t: number): number => (row.get(t) ?? 0) * rowHeightPx;
  const arrows = messages.map((m) => ({
    msgId: m.msgId, from: m.from, to: m.to, kind: m.kind, text: m.text, y1: y(m.sentT), y2: m.doneT === null ? y(m.sentT) + rowHeightPx : y(m.doneT), dropped: m.dropped,
  }));
  const ticks: { y: number; t: number; seq: number }[] = [];
  let lastTickY = -1000;
  for (const m of messages) {
    const yy = y(m.sentT);
    if (yy - lastTickY >= 5 * rowHeightPx) {
      ticks.push({ y: yy, t: m.sentT, seq: m.sentSeq });
      lastTickY = yy;
    }
  }
  return {
    column, rows: sorted.length, height: sorted.length * rowHeightPx + rowHeightPx, arrows, ticks,
    marks: shownMarks.map((m) => ({ sid: m.sid, text: m.text, kind: m.kind, y: y(m.t) })),
  };
}
