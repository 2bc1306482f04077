/**
 * Message animation clock: each message that was sent travels its link for a fixed wall-clock
 * time (a message takes a few virtual ms, too short to see at any useful speed), so the eye can
 * follow the traffic. Which messages exist comes from the event stream; only the motion is UI.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { MessageKind } from '../../runtime/playground/api.ts';
import type { Translate } from '../i18n/i18n.ts';

export const travelMs = 900;
export const animsMax = 300;
/**
 * Most dots travelling at once. Under saturating writes the servers exchange thousands of
 * messages a second; the view then animates an even sample of them, each for its whole trip,
 * and says so with exact counts (TrafficWindow).
 */
export const dotsMax = 200;

/** `k` items of `list` spread evenly over it (all of them when k >= its length), in order. */
export function sampleEvenly<T>(list: readonly T[], k: number): T[] {
  if (k >= list.length) return [...list];
  if (k <= 0) return [];
  const out: T[] = [];
  for (let i = 0; i < k; i++) out.push(list[Math.floor(((i + 0.5) * list.length) / k)]);
  return out;
}

/**
 * The messages sent over the last `windowMs` of wall time, and how many of them were animated:
 * the counts the cluster view shows when it animates a sample ("showing 200 of 9,870").
 */
export class TrafficWindow {
  private readonly entries: { at: number; sent: number; animated: number }[] = [];
  private head = 0;
  private sent = 0;
  private animated = 0;

  constructor(private readonly windowMs = travelMs) {}

  record(at: number, sent: number, animated: number): void {
    if (sent === 0 && animated === 0) return;
    this.entries.push({ at, sent, animated });
    this.sent += sent;
    this.animated += animated;
  }

  totals(now: number): { sent: number; animated: number } {
    while (this.head < this.entries.length && now - this.entries[this.head].at >= this.windowMs) {
      this.sent -= this.entries[this.head].sent;
      this.animated -= this.entries[this.head].animated;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
    return { sent: this.sent, animated: this.animated };
  }

  clear(): void {
    this.entries.length = 0;
    this.head = 0;
    this.sent = 0;
    this.animated = 0;
  }
}

export interface Anim {
  readonly key: string;
  readonly from: Sid;
  readonly to: Sid;
  readonly kind: MessageKind;
  readonly text: string;
  readonly startedAt: number;
  readonly dropped: boolean;
}

/** The cluster view's note while the dots are a sample of the traffic, with its exact counts (empty when every message is animated). */
export function sampleNote(t: Translate, totals: { sent: number; animated: number }): string {
  return totals.animated < totals.sent ? t('cluster.sampled', { shown: grouped(totals.animated), sent: grouped(totals.sent), s: (travelMs / 1000).toFixed(1) }) : '';
}

/** 12345 -> "12,345" (toLocaleString is an Intl call: too slow for every frame) */
function grouped(n: number): string {
  const s = String(Math.trunc(n));
  let out = '';
  for (let i = 0; i < s.length; i++) out += (i > 0 && (s.length - i) % 3 === 0 && s[i - 1] !== '-' ? ',' : '') + s[i];
  return out;
}

export class AnimClock {
  items: Anim[] = [];
  frame = 0;
  now = 0;
  private raf = 0;
  private readonly listeners = new Set<() => void>();

  /** dots travelling (or about to start) at `now` */
  live(now: number): number {
    let n = 0;
    for (const a of this.items) if (now - a.startedAt < travelMs) n++;
    return n;
  }

  add(list: readonly Omit<Anim, 'startedAt'>[], now: number): void {
    if (list.length === 0) return;
    const stagger = Math.min(40, 400 / list.length);
    const extra = list.map((a, i) => ({ ...a, startedAt: now + i * stagger }));
    this.items = [...this.items, ...extra].slice(-animsMax);
    this.start();
  }

  private start(): void {
    if (this.raf || typeof requestAnimationFrame === 'undefined') return;
    const loop = (t: number): void => {
      this.raf = requestAnimationFrame(loop);
      this.now = t;
      this.items = this.items.filter((a) => t - a.startedAt < travelMs);
      this.frame++;
      for (const l of this.listeners) l();
      if (this.items.length === 0) {
        cancelAnimationFrame(this.raf);
        this.raf = 0;
      }
    };
    this.raf = requestAnimationFrame(loop);
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getFrame = (): number => this.frame;
}
