/**
 * Message animation clock: each message that was sent travels its link for a fixed wall-clock
 * time (a message takes a few virtual ms, too short to see at any useful speed), so the eye can
 * follow the traffic. Which messages exist comes from the event stream; only the motion is UI.
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import type { MessageKind } from '../../runtime/playground/api.ts';

export const travelMs = 900;
export const animsMax = 300;

export interface Anim {
  readonly key: string;
  readonly from: Sid;
  readonly to: Sid;
  readonly kind: MessageKind;
  readonly text: string;
  readonly startedAt: number;
  readonly dropped: boolean;
}

export class AnimClock {
  items: Anim[] = [];
  frame = 0;
  now = 0;
  private raf = 0;
  private readonly listeners = new Set<() => void>();

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
      this.now = t;
      this.items = this.items.filter((a) => t - a.startedAt < travelMs);
      this.frame++;
      for (const l of this.listeners) l();
      this.raf = this.items.length > 0 ? requestAnimationFrame(loop) : 0;
    };
    this.raf = requestAnimationFrame(loop);
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getFrame = (): number => this.frame;
}
