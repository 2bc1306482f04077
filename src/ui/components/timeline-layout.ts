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
  readonly sentT: number;
  readonly sentSeq: number;
  /** when it was delivered or dropped (null: in flight) */
  readonly doneT: number | null;
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
  readonly seq: number;
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
  /** the y of the layout's top edge: what is above it left the view (a view translates by -top) */
  readonly top: number;
  /** from `top` */
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

  remove(b: LabelBox): void {
    const k = Math.floor(b.y / this.band);
    const list = this.bands.get(k);
    const i = list?.indexOf(b) ?? -1;
    if (list === undefined || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.bands.delete(k);
  }
}

type Label = LabelBox & { readonly text: string };

export interface TimelineOptions {
  readonly rowHeight?: number;
  readonly columnWidth?: number;
  /** how wide a label is drawn (the view measures with its font; without it, an estimate per character) */
  readonly textWidth?: TextWidth;
}

/** A label's drawn width in px: a message's type (`label`), a role mark's (`mark`, bolder) or a fault's. */
export type TextWidth = (text: string, style: 'label' | 'mark' | 'fault') => number;
export const estimateTextWidth: TextWidth = (text) => text.length * charPx;

/**
 * The layout of a timeline that grows at its end and loses its oldest messages at the top,
 * kept from one update to the next so that what was laid out stays where it is (bench/README.md,
 * fix 28): a message's y, its label and its arrow object (the view re-renders an arrow only when
 * its object changes) do not change when older messages leave or newer ones come; only the
 * layout's `top` (the y of its first row, which the view translates away) moves.
 *
 * Rows are laid out as `timelineLayout` describes, for the times of each update's new messages
 * and marks, below the rows already there. A time reported after a later one was laid out (the
 * workers' reports reach the page a little out of time order) gets no row of its own: it sits
 * between its neighbours, in proportion, so the axis stays in time order without moving
 * anything. A label is placed once, where it collides with no label already there (the new ones
 * of an update newest first): an older label keeps its place; a message's label is placed again
 * only when its arrow changes (delivered or dropped). A layout that does not continue the
 * previous one (a rewind, a new run, another zoom or set of servers) is made afresh, and a fresh
 * layout is exactly `timelineLayout`'s.
 */
export class TimelineTrack {
  private key = '';
  private column = new Map<Sid, number>();
  private placed = new Placed(labelPx);
  /** every laid-out time and its y, in time order */
  private times: { t: number; y: number }[] = [];
  private yOfTime = new Map<number, number>();
  /** messages sent at each time (each has its own row), and the y of the last */
  private sendsAt = new Map<number, number>();
  private lastSendY = new Map<number, number>();
  /** the times given rows of their own in this update */
  private readonly newRows = new Set<number>();
  /** the y of the next free row */
  private nextY = topPx;
  private maxT = Number.NEGATIVE_INFINITY;
  private arrows = new Map<number, TimelineArrow>();
  private sentSeqMax = -1;
  /** by the view model's mark (its objects do not change) */
  private marks = new Map<TimelineMark, TimelineMarkLayout>();
  private markSeqMax = -1;
  private ticks: { y: number; t: number; seq: number }[] = [];
  private lastTickY = -1000;
  private lastTickT = Number.NaN;
  private last: TimelineLayout | null = null;

  /** The layout of `all` (server-to-server messages of it) and `marks`, continuing the last one where it can. */
  update(all: readonly TimelineMessage[], marks: readonly TimelineMark[], sids: readonly Sid[], opts: TimelineOptions = {}): TimelineLayout {
    const rowHeight = opts.rowHeight ?? rowHeightPx;
    const columnWidth = opts.columnWidth ?? columnWidthPx;
    const textWidth = opts.textWidth ?? estimateTextWidth;
    const key = `${sids.join(',')}|${rowHeight}|${columnWidth}`;
    // server-to-server traffic only (client endpoints are numbered above the servers)
    const messages = all.filter((m) => sids.includes(m.from) && sids.includes(m.to));
    const minT = messages.length > 0 ? Math.min(...messages.map((m) => m.sentT)) : Number.NEGATIVE_INFINITY;
    const shownMarks = marks.filter((m) => m.t >= minT);
    if (key !== this.key || !this.continues(messages, shownMarks)) this.reset(key, sids, rowHeight);
    else if (this.last !== null && this.unchanged(messages, shownMarks)) return this.last;

    // what left: its label's room is free again
    const keep = new Set(messages.map((m) => m.msgId));
    for (const [id, a] of this.arrows) {
      if (keep.has(id)) continue;
      if (a.label) this.placed.remove(a.label);
      this.arrows.delete(id);
    }
    const keepMarks = new Set(shownMarks);
    for (const [k, m] of this.marks) {
      if (keepMarks.has(k)) continue;
      if (m.label) this.placed.remove(m.label);
      this.marks.delete(k);
    }

    // new messages and marks, and messages delivered or dropped since
    const fresh = messages.filter((m) => !this.arrows.has(m.msgId));
    const changed = messages.filter((m) => {
      const a = this.arrows.get(m.msgId);
      return a !== undefined && (a.doneT !== m.doneT || a.dropped !== m.dropped);
    });
    const newMarks = shownMarks.filter((m) => !this.marks.has(m));

    // rows for the new times, below the rows there are, and the new messages' send rows (as many
    // rows at a time as messages were sent then: a lockstep run sends many at the same virtual
    // time, and they must not overlap), in time order
    const sendsOf = new Map<number, TimelineMessage[]>();
    for (const m of fresh) {
      const list = sendsOf.get(m.sentT);
      if (list) list.push(m);
      else sendsOf.set(m.sentT, [m]);
    }
    const batchTimes = new Set<number>(sendsOf.keys());
    for (const m of [...fresh, ...changed]) if (m.doneT !== null) batchTimes.add(m.doneT);
    for (const m of newMarks) batchTimes.add(m.t);
    const sendRows = (t: number): number => Math.max(1, (this.sendsAt.get(t) ?? 0) + (sendsOf.get(t)?.length ?? 0));
    if (this.yOfTime.has(this.maxT)) this.nextY = Math.max(this.nextY, this.yOfTime.get(this.maxT)! + sendRows(this.maxT) * rowHeight);
    const y1s = new Map<number, number>();
    for (const t of [...batchTimes].sort((a, b) => a - b)) {
      if (!this.yOfTime.has(t)) {
        if (t > this.maxT) {
          this.setTime(t, this.nextY, true);
          this.nextY += sendRows(t) * rowHeight;
          this.maxT = t;
        } else {
          this.setTime(t, this.between(t), false);
        }
      }
      for (const m of sendsOf.get(t) ?? []) {
        const k = this.sendsAt.get(t) ?? 0;
        this.sendsAt.set(t, k + 1);
        // the rows below a time's are its own only at the newest time, or one made in this batch
        // (a later send at an older time goes between its time's last send and the next time)
        const yy = k === 0 ? this.yOfTime.get(t)! : t === this.maxT || this.newRows.has(t) ? this.yOfTime.get(t)! + k * rowHeight : this.halfway(t);
        this.lastSendY.set(t, yy);
        y1s.set(m.msgId, yy);
        this.sentSeqMax = Math.max(this.sentSeqMax, m.sentSeq);
      }
    }
    this.newRows.clear();

    const y = (t: number): number => this.yOfTime.get(t) ?? topPx;
    const x = (sid: Sid): number => columnX(this.column.get(sid) ?? 0, columnWidth);
    const place = (box: LabelBox): boolean => {
      if (!this.placed.fits(box)) return false;
      this.placed.add(box);
      return true;
    };
    // faults first (kill, partition: what the teacher did), then role changes, then messages
    const isFault = (m: TimelineMark): boolean => m.sid === null || m.kind === 'fault';
    const markLabel = (m: TimelineMark): Label | null => {
      const yy = y(m.t);
      if (isFault(m)) {
        const box = { x: axisWidthPx, y: yy - labelPx / 2, w: textWidth(m.text, 'fault'), h: labelPx };
        return place(box) ? { ...box, text: m.text } : null;
      }
      const text = m.text.split(' ')[0];
      const w = textWidth(text, 'mark');
      // right of the lifeline; left of it in the last column (inside the diagram)
      const right = x(m.sid!) + 8 + w <= axisWidthPx + columnWidth * Math.max(1, sids.length);
      const box = { x: right ? x(m.sid!) + 8 : x(m.sid!) - 8 - w, y: yy - labelPx / 2, w, h: labelPx };
      return place(box) ? { ...box, text } : null;
    };
    const markLayout = (m: TimelineMark): void => {
      this.marks.set(m, { seq: m.seq, sid: m.sid, text: m.text, kind: m.kind, role: m.role, y: y(m.t), label: markLabel(m) });
    };
    for (const m of newMarks) if (isFault(m)) markLayout(m);
    for (const m of newMarks) if (!isFault(m)) markLayout(m);
    for (const m of newMarks) this.markSeqMax = Math.max(this.markSeqMax, m.seq);

    // every new or changed arrow and its label, newest first
    for (const m of changed) y1s.set(m.msgId, this.arrows.get(m.msgId)!.y1);
    const redo = [...changed, ...fresh].sort((a, b) => b.sentSeq - a.sentSeq);
    for (const m of redo) {
      const old = this.arrows.get(m.msgId);
      if (old?.label) this.placed.remove(old.label);
      const y1 = y1s.get(m.msgId)!;
      const y2 = m.doneT === null ? y1 + rowHeight : Math.max(y(m.doneT), y1 + rowHeight);
      const text = shortLabel(m.text, m.kind);
      const w = textWidth(text, 'label');
      const xa = x(m.from);
      const xb = x(m.to);
      // at the middle of the arrow, centred on it; on a vertical-ish arrow (a self message), beside it
      const mx = (xa + xb) / 2;
      const my = (y1 + y2) / 2;
      const box = { x: xa === xb ? mx + 6 : mx - w / 2, y: my - labelPx / 2, w, h: labelPx };
      this.arrows.set(m.msgId, {
        msgId: m.msgId, from: m.from, to: m.to, kind: m.kind, text: m.text, sentT: m.sentT, sentSeq: m.sentSeq, doneT: m.doneT, y1, y2, dropped: m.dropped,
        label: place(box) ? { ...box, text } : null,
      });
    }

    // a tick (the time) at a send row every few rows
    for (const m of fresh) {
      const yy = y1s.get(m.msgId)!;
      if (yy - this.lastTickY >= Math.max(5 * rowHeight, 3 * labelPx) && m.sentT !== this.lastTickT) {
        this.ticks.push({ y: yy, t: m.sentT, seq: m.sentSeq });
        this.lastTickY = yy;
        this.lastTickT = m.sentT;
      }
    }

    const arrows = messages.map((m) => this.arrows.get(m.msgId)!);
    const markLayouts = shownMarks.map((m) => this.marks.get(m)!);
    let firstY = Number.POSITIVE_INFINITY;
    for (const a of arrows) firstY = Math.min(firstY, a.y1);
    for (const m of markLayouts) firstY = Math.min(firstY, m.y);
    // (whole px: a view scrolled up moves by as much to stay put)
    const top = Number.isFinite(firstY) ? Math.floor(firstY - topPx) : 0;
    // forget what is above the first row
    const firstT = Math.min(minT, ...shownMarks.map((m) => m.t));
    if (this.times.length > 0 && this.times[0].t < firstT) {
      const cut = this.times.findIndex((e) => e.t >= firstT || e.t === this.maxT);
      for (const e of this.times.slice(0, cut)) {
        this.yOfTime.delete(e.t);
        this.sendsAt.delete(e.t);
        this.lastSendY.delete(e.t);
      }
      this.times.splice(0, cut);
    }
    while (this.ticks.length > 0 && this.ticks[0].y < top + topPx) this.ticks.shift();
    const empty = arrows.length + markLayouts.length === 0;
    this.last = {
      column: this.column, rows: empty ? 0 : Math.round((this.nextY - top - topPx) / rowHeight), top, height: empty ? topPx + rowHeight : this.nextY - top + rowHeight, width: axisWidthPx + columnWidth * Math.max(1, sids.length), rowHeight, columnWidth,
      arrows, marks: markLayouts, ticks: [...this.ticks],
    };
    return this.last;
  }

  /** Whether `messages` and `marks` are the last layout's, less some of the oldest, and newer ones. */
  private continues(messages: readonly TimelineMessage[], marks: readonly TimelineMark[]): boolean {
    // what is gone must have left from the top (a rewind takes the newest away)
    if (this.arrows.size > 0) {
      if (messages.length === 0) return false;
      const ids = new Set(messages.map((m) => m.msgId));
      for (const [id, a] of this.arrows) if (!ids.has(id) && a.sentSeq >= messages[0].sentSeq) return false;
    }
    // (marks leave by time, which the workers' reports do not keep in seq order: a mark gone is no sign)
    let seenNew = false;
    for (const m of messages) {
      const a = this.arrows.get(m.msgId);
      if (a === undefined) {
        if (m.sentSeq <= this.sentSeqMax) return false;
        seenNew = true;
      } else if (seenNew || a.sentT !== m.sentT || a.from !== m.from || a.to !== m.to) {
        return false;
      }
    }
    for (const m of marks) if (!this.marks.has(m) && m.seq <= this.markSeqMax) return false;
    return true;
  }

  /** Whether `messages` and `marks` are exactly what the last layout shows. */
  private unchanged(messages: readonly TimelineMessage[], marks: readonly TimelineMark[]): boolean {
    const l = this.last!;
    if (l.arrows.length !== messages.length || l.marks.length !== marks.length) return false;
    for (let i = 0; i < messages.length; i++) {
      const a = l.arrows[i];
      const m = messages[i];
      if (a.msgId !== m.msgId || a.doneT !== m.doneT || a.dropped !== m.dropped) return false;
    }
    for (let i = 0; i < marks.length; i++) if (this.marks.get(marks[i]) !== l.marks[i]) return false;
    return true;
  }

  private reset(key: string, sids: readonly Sid[], rowHeight: number): void {
    this.key = key;
    this.column = new Map(sids.map((s, i) => [s, i]));
    this.placed = new Placed(Math.max(labelPx, rowHeight));
    this.times = [];
    this.yOfTime = new Map();
    this.sendsAt = new Map();
    this.lastSendY = new Map();
    this.nextY = topPx;
    this.maxT = Number.NEGATIVE_INFINITY;
    this.arrows = new Map();
    this.sentSeqMax = -1;
    this.marks = new Map();
    this.markSeqMax = -1;
    this.ticks = [];
    this.lastTickY = -1000;
    this.lastTickT = Number.NaN;
    this.last = null;
  }

  private setTime(t: number, y: number, last: boolean): void {
    this.yOfTime.set(t, y);
    if (last) {
      this.times.push({ t, y });
      this.newRows.add(t);
      return;
    }
    let i = this.times.length;
    while (i > 0 && this.times[i - 1].t > t) i--;
    this.times.splice(i, 0, { t, y });
  }

  /** The index in `times` of the first time after `t`. */
  private after(t: number): number {
    let i = this.times.length;
    while (i > 0 && this.times[i - 1].t > t) i--;
    return i;
  }

  /** The y of a time earlier than the last laid out: between its neighbours', in proportion. */
  private between(t: number): number {
    const i = this.after(t);
    const next = this.times[i];
    const prev = this.times[i - 1];
    // (no next: only a time that compares with nothing, NaN, which a sane trace never has)
    if (next === undefined) return prev?.y ?? topPx;
    if (prev === undefined) return next.y;
    // below the last message sent at prev.t
    const from = this.lastSendY.get(prev.t) ?? prev.y;
    return from + ((next.y - from) * (t - prev.t)) / (next.t - prev.t);
  }

  /** The y of a further send at an older time `t`: halfway between its last send and the next time. */
  private halfway(t: number): number {
    const next = this.times[this.after(t)];
    const from = this.lastSendY.get(t) ?? this.yOfTime.get(t)!;
    return next === undefined ? from : (from + next.y) / 2;
  }
}

/** The layout of a timeline drawn at once (a fresh TimelineTrack's). */
export function timelineLayout(all: readonly TimelineMessage[], marks: readonly TimelineMark[], sids: readonly Sid[], opts: TimelineOptions = {}): TimelineLayout {
  return new TimelineTrack().update(all, marks, sids, opts);
}

/** The arrowhead's length and half its width (px). */
const headLength = 9;
const headHalf = 4.5;

/**
 * `arrows` as SVG path data: one path of lines per kind (a dashed one for dropped messages) and
 * one of arrowheads, so that a redraw sets a few attributes instead of making an element per
 * arrow. `x` is a server's lifeline; y is the layout's less `dy`.
 */
export function arrowPaths(arrows: readonly TimelineArrow[], x: (sid: Sid) => number, dy: number): { lines: Map<string, string>; heads: string } {
  const lines = new Map<string, string[]>();
  const heads: string[] = [];
  const r = (v: number): number => Math.round(v * 10) / 10;
  for (const a of arrows) {
    const x1 = x(a.from);
    const x2 = x(a.to);
    const y1 = a.y1 - dy;
    const y2 = a.y2 - dy;
    const key = a.dropped ? `${a.kind} dropped` : a.kind;
    let list = lines.get(key);
    if (!list) lines.set(key, (list = []));
    list.push(`M${r(x1)} ${r(y1)}L${r(x2)} ${r(y2)}`);
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (len === 0) continue;
    const ux = (x2 - x1) / len;
    const uy = (y2 - y1) / len;
    const bx = x2 - ux * headLength;
    const by = y2 - uy * headLength;
    heads.push(`M${r(x2)} ${r(y2)}L${r(bx - uy * headHalf)} ${r(by + ux * headHalf)}L${r(bx + uy * headHalf)} ${r(by - ux * headHalf)}Z`);
  }
  return { lines: new Map([...lines].map(([k, v]) => [k, v.join('')])), heads: heads.join('') };
}

/** The arrow nearest the point (px, py) in the layout's coordinates, if one passes within `within` px of it. */
export function arrowAt(arrows: readonly TimelineArrow[], x: (sid: Sid) => number, px: number, py: number, within = 5): TimelineArrow | undefined {
  let best: TimelineArrow | undefined;
  let bestD = within;
  for (const a of arrows) {
    if (py < a.y1 - within || py > a.y2 + within) continue;
    const x1 = x(a.from);
    const x2 = x(a.to);
    const dx = x2 - x1;
    const dy = a.y2 - a.y1;
    const k = Math.max(0, Math.min(1, ((px - x1) * dx + (py - a.y1) * dy) / (dx * dx + dy * dy || 1)));
    const d = Math.hypot(px - (x1 + k * dx), py - (a.y1 + k * dy));
    if (d <= bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}
