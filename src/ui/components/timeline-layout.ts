/**
 * Sequence-diagram layout: one row per distinct virtual time (a Lamport-style compressed axis,
 * so a 4 ms message and a 2 s timeout both stay readable), and one more for each further message
 * sent at that time (in send order); an arrow from the sender's column at its send row to the
 * receiver's column at its delivery (or drop) time, always at least one row down.
 *
 * Labels never overlap: each arrow's label (the message's type) and each role mark's label is
 * placed only where it collides with no label placed before it (role marks first, then the
 * messages, newest first, as the newest are what one looks at). The rest are thinned out: a
 * larger row height (zoom) leaves room for more, and every arrow shows its full text on hover.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { MessageKind } from '../../runtime/playground/api.ts';
import type { TimelineMark, TimelineMessage } from '../store/view-models.ts';

export const rowHeightPx = 14;
/** the row heights the zoom steps through */
export const rowHeights = [8, 14, 22, 34] as const;
export const columnWidthPx = 150;
/** the narrowest column (a server's header still fits) */
export const columnWidthMinPx = 100;
/** left margin: the virtual-time ticks */
export const axisWidthPx = 70;
/** label font: 11 px sans; this width per character is a safe over-estimate for A-Z, 0-9 */
const charPx = 7;
const labelPx = 12;
/** room above the first row (its labels) */
const topPx = 12;

export interface LabelBox {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface TimelineArrow {
  readonly msgId: number;
  readonly from: Sid;
  readonly to: Sid;
  readonly kind: MessageKind;
  readonly text: string;
  readonly y1: number;
  readonly y2: number;
  readonly dropped: boolean;
  /** the label shown beside the arrow (null: thinned out, on hover only) */
  readonly label: (LabelBox & { readonly text: string }) | null;
}

export interface TimelineMarkLayout {
  readonly sid: Sid | null;
  readonly text: string;
  readonly kind: string;
  readonly role?: string;
  readonly y: number;
  readonly label: (LabelBox & { readonly text: string }) | null;
}

export interface TimelineLayout {
  readonly column: ReadonlyMap<Sid, number>;
  readonly rows: number;
  readonly height: number;
  readonly width: number;
  readonly rowHeight: number;
  readonly columnWidth: number;
  readonly arrows: readonly TimelineArrow[];
  readonly marks: readonly TimelineMarkLayout[];
  readonly ticks: readonly { y: number; t: number; seq: number }[];
}

/** The x of a server's lifeline. */
export function columnX(column: number, columnWidth = columnWidthPx): number {
  return axisWidthPx + columnWidth * column + columnWidth / 2;
}

/** The column width that fits `servers` columns into `width` px (within bounds). */
export function fitColumnWidth(width: number, servers: number): number {
  return Math.round(Math.max(columnWidthMinPx, Math.min(columnWidthPx + 30, (width - axisWidthPx) / Math.max(1, servers))));
}

/** A message's short name for its label: the first word of its text (PROPOSAL, ACK, ...). */
export function shortLabel(text: string, kind: string): string {
  const w = text.trim().split(/[\s(:]/)[0] ?? '';
  return (w.length > 0 ? w : kind).slice(0, 14);
}

function overlaps(a: LabelBox, b: LabelBox): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Placed label boxes, bucketed by row band so a check looks at neighbours only. */
class Placed {
  private readonly bands = new Map<number, LabelBox[]>();
  constructor(private readonly band: number) {}

  fits(b: LabelBox): boolean {
    for (let k = Math.floor(b.y / this.band) - 1; k <= Math.floor((b.y + b.h) / this.band) + 1; k++) {
      for (const o of this.bands.get(k) ?? []) if (overlaps(o, b)) return false;
    }
    return true;
  }

  add(b: LabelBox): void {
    const k = Math.floor(b.y / this.band);
    const list = this.bands.get(k) ?? [];
    list.push(b);
    this.bands.set(k, list);
  }
}

export function timelineLayout(all: readonly TimelineMessage[], marks: readonly TimelineMark[], sids: readonly Sid[], opts: { rowHeight?: number; columnWidth?: number } = {}): TimelineLayout {
  const rowHeight = opts.rowHeight ?? rowHeightPx;
  const columnWidth = opts.columnWidth ?? columnWidthPx;
  // server-to-server traffic only (client endpoints are numbered above the servers)
  const messages = all.filter((m) => sids.includes(m.from) && sids.includes(m.to));
  const column = new Map<Sid, number>();
  sids.forEach((s, i) => column.set(s, i));
  // rows: one per distinct virtual time, and as many at a time as messages were sent then (in
  // send order: a lockstep run sends many at the same virtual time, and they must not overlap)
  const times = new Set<number>();
  const sends = new Map<number, number>();
  const sendIndex = new Map<number, number>();
  for (const m of messages) {
    times.add(m.sentT);
    const k = sends.get(m.sentT) ?? 0;
    sends.set(m.sentT, k + 1);
    sendIndex.set(m.msgId, k);
    if (m.doneT !== null) times.add(m.doneT);
  }
  const minT = messages.length > 0 ? Math.min(...messages.map((m) => m.sentT)) : Number.NEGATIVE_INFINITY;
  const shownMarks = marks.filter((m) => m.t >= minT);
  for (const m of shownMarks) times.add(m.t);
  const sorted = [...times].sort((a, b) => a - b);
  const row = new Map<number, number>();
  let rows = 0;
  for (const t of sorted) {
    row.set(t, rows);
    rows += Math.max(1, sends.get(t) ?? 0);
  }
  const y = (t: number): number => topPx + (row.get(t) ?? 0) * rowHeight;
  const y1Of = (m: TimelineMessage): number => y(m.sentT) + (sendIndex.get(m.msgId) ?? 0) * rowHeight;
  const y2Of = (m: TimelineMessage): number => (m.doneT === null ? y1Of(m) + rowHeight : Math.max(y(m.doneT), y1Of(m) + rowHeight));
  const x = (sid: Sid): number => columnX(column.get(sid) ?? 0, columnWidth);

  const placed = new Placed(Math.max(labelPx, rowHeight));
  const place = (box: LabelBox): boolean => {
    if (!placed.fits(box)) return false;
    placed.add(box);
    return true;
  };
  // faults first (kill, partition: what the teacher did), then role changes, then messages
  const markLabel = (m: TimelineMark): (LabelBox & { text: string }) | null => {
    const yy = y(m.t);
    if (m.sid === null || m.kind === 'fault') {
      const box = { x: axisWidthPx, y: yy - labelPx / 2, w: m.text.length * charPx, h: labelPx };
      return place(box) ? { ...box, text: m.text } : null;
    }
    const text = m.text.split(' ')[0];
    const w = text.length * charPx;
    // right of the lifeline; left of it in the last column (inside the diagram)
    const right = x(m.sid) + 8 + w <= axisWidthPx + columnWidth * Math.max(1, sids.length);
    const box = { x: right ? x(m.sid) + 8 : x(m.sid) - 8 - w, y: yy - labelPx / 2, w, h: labelPx };
    return place(box) ? { ...box, text } : null;
  };
  const isFault = (m: TimelineMark): boolean => m.sid === null || m.kind === 'fault';
  const markLabels = new Map<TimelineMark, (LabelBox & { text: string }) | null>();
  for (const m of shownMarks) if (isFault(m)) markLabels.set(m, markLabel(m));
  for (const m of shownMarks) if (!isFault(m)) markLabels.set(m, markLabel(m));
  const markLayouts: TimelineMarkLayout[] = shownMarks.map((m) => ({ sid: m.sid, text: m.text, kind: m.kind, role: m.role, y: y(m.t), label: markLabels.get(m) ?? null }));
  // every lifeline's dot of a mark is drawn anyway; arrows' labels next, newest first
  const labels = new Map<number, (LabelBox & { text: string }) | null>();
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    const y1 = y1Of(m);
    const y2 = y2Of(m);
    const text = shortLabel(m.text, m.kind);
    const w = text.length * charPx;
    const xa = x(m.from);
    const xb = x(m.to);
    // at the middle of the arrow, centred on it; on a vertical-ish arrow (a self message), beside it
    const mx = (xa + xb) / 2;
    const my = (y1 + y2) / 2;
    const box = { x: xa === xb ? mx + 6 : mx - w / 2, y: my - labelPx / 2, w, h: labelPx };
    labels.set(m.msgId, place(box) ? { ...box, text } : null);
  }
  const arrows: TimelineArrow[] = messages.map((m) => ({
    msgId: m.msgId, from: m.from, to: m.to, kind: m.kind, text: m.text, y1: y1Of(m), y2: y2Of(m), dropped: m.dropped,
    label: labels.get(m.msgId) ?? null,
  }));
  const ticks: { y: number; t: number; seq: number }[] = [];
  let lastTickY = -1000;
  let lastTickT = Number.NaN;
  for (const m of messages) {
    const yy = y1Of(m);
    if (yy - lastTickY >= Math.max(5 * rowHeight, 3 * labelPx) && m.sentT !== lastTickT) {
      ticks.push({ y: yy, t: m.sentT, seq: m.sentSeq });
      lastTickY = yy;
      lastTickT = m.sentT;
    }
  }
  return {
    column, rows, height: topPx + rows * rowHeight + rowHeight, width: axisWidthPx + columnWidth * Math.max(1, sids.length), rowHeight, columnWidth, arrows, ticks,
    marks: markLayouts,
  };
}
