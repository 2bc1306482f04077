/**
 * The messages on the cluster's links, drawn between the links and the server cards (the
 * edge-label layer of @xyflow/react, so pan and zoom apply to it):
 * - travelling dots (AnimClock): drawn on a <canvas> on each animation frame, outside React
 *   and outside the DOM: no style, layout or attribute change per frame whatever the traffic
 *   (bench/README.md, fixes 8 and 25);
 * - in lockstep, the messages the conductor holds (`vm.inFlight`), on the visible part of their
 *   link above the cards, rendered by React when the set changes; a click opens the
 *   deliver/drop/delay popover.
 * Pointing at a dot shows its `describe` text (the hover box: the pointer is hit-tested against
 * the last frame's dots), and a held message's <title> serves screen readers.
 */
import { EdgeLabelRenderer, ViewportPortal, useReactFlow, useStore as useFlowStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { InFlightMessage } from '../../runtime/playground/api.ts';
import { usePlayground } from '../store/store.ts';
import { travelMs, type AnimClock } from './anim.ts';
import { kindColor } from './LinkEdge.tsx';

/** sideways offset (flow px) that keeps the two directions of a link apart */
const side = 5;

type Point = { x: number; y: number };

/** Where a message from `a` to `b` is after fraction `p` of its way, `off` px to its left. */
export function pointOnLink(a: Point, b: Point, p: number, off = side): Point {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy) || 1;
  // the left-hand side of the direction of travel: a->b and b->a run on opposite sides
  return { x: a.x + dx * p + (-dy / len) * off, y: a.y + dy * p + (dx / len) * off };
}

type Card = Point & { hw: number; hh: number };

/**
 * The part of the link from card `a` to card `b` that no card covers, as fractions of the
 * centre-to-centre line ([0.5, 0.5] when the cards overlap).
 */
export function visibleSpan(a: Card, b: Card): [number, number] {
  const dx = Math.abs(b.x - a.x) || 1e-9;
  const dy = Math.abs(b.y - a.y) || 1e-9;
  const from = Math.min(a.hw / dx, a.hh / dy);
  const to = 1 - Math.min(b.hw / dx, b.hh / dy);
  return to > from ? [from, to] : [0.5, 0.5];
}

/** The place of the `i`-th held message on its link: spread over the visible part, 22 px apart. */
export function heldPoint(a: Card, b: Card, i: number): Point {
  const [from, to] = visibleSpan(a, b);
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const span = (to - from) * len; // px
  const margin = Math.min(14, span / 2);
  const slots = Math.max(1, Math.floor((span - 2 * margin) / 22) + 1);
  const k = i % slots;
  const p = span <= 0 ? 0.5 : from + (margin + (slots === 1 ? (span - 2 * margin) / 2 : k * 22)) / len;
  // later laps sit a little further out, so no two cover each other
  return pointOnLink(a, b, p, 11 + 20 * Math.floor(i / slots));
}

function nodeCenter(flow: ReturnType<typeof useReactFlow>, sid: Sid): Point | null {
  const n = flow.getInternalNode(`s${sid}`);
  if (!n) return null;
  const w = n.measured.width ?? 0;
  const h = n.measured.height ?? 0;
  return { x: n.internals.positionAbsolute.x + w / 2, y: n.internals.positionAbsolute.y + h / 2 };
}

/** Server centres as a string (a selector value that changes only when a card moves or resizes). */
const centersKey = (s: ReactFlowState): string => {
  let k = '';
  for (const [id, n] of s.nodeLookup) {
    if (!id.startsWith('s')) continue;
    const w = n.measured.width ?? 0;
    const h = n.measured.height ?? 0;
    k += `${id}:${Math.round(n.internals.positionAbsolute.x + w / 2)},${Math.round(n.internals.positionAbsolute.y + h / 2)},${Math.round(w / 2)},${Math.round(h / 2)};`;
  }
  return k;
};

function parseCenters(key: string): Map<Sid, Card> {
  const m = new Map<Sid, Card>();
  for (const part of key.split(';')) {
    const r = /^s(\d+):(-?\d+),(-?\d+),(\d+),(\d+)$/.exec(part);
    if (r) m.set(Number(r[1]), { x: Number(r[2]), y: Number(r[3]), hw: Number(r[4]), hh: Number(r[5]) });
  }
  return m;
}

const noneHeld: ReadonlyMap<number, InFlightMessage> = new Map();

/** A travelling dot as drawn on the last frame (flow coordinates), for hit-testing the pointer. */
interface Dot {
  readonly x: number;
  readonly y: number;
  readonly r: number;
  readonly text: string;
  readonly kind: string;
  readonly fading: boolean;
}

/** The part of the flow the dots can be in: the servers' centres, and a margin for a dot beside its link. */
export function dotsBox(centers: ReadonlyMap<Sid, Point>): { x: number; y: number; w: number; h: number } | null {
  if (centers.size === 0) return null;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const c of centers.values()) {
    x0 = Math.min(x0, c.x);
    y0 = Math.min(y0, c.y);
    x1 = Math.max(x1, c.x);
    y1 = Math.max(y1, c.y);
  }
  const margin = side + 6 + 4;
  return { x: Math.floor(x0 - margin), y: Math.floor(y0 - margin), w: Math.ceil(x1 - x0 + 2 * margin), h: Math.ceil(y1 - y0 + 2 * margin) };
}

export interface HoverInfo {
  readonly text: string;
  readonly kind: string;
  readonly x: number;
  readonly y: number;
}

export function MessageLayer(props: {
  clock: AnimClock;
  onMsgClick: (m: InFlightMessage, x: number, y: number) => void;
  onHover: (h: HoverInfo | null) => void;
}): React.JSX.Element {
  const { clock, onMsgClick, onHover } = props;
  const flow = useReactFlow();
  const lockstep = usePlayground((s) => s.mode === 'lockstep');
  // held messages are shown in lockstep only (live, the map changes with every update)
  const inFlight = usePlayground((s) => (s.mode === 'lockstep' ? s.vm.inFlight : noneHeld));
  const centers = parseCenters(useFlowStore(centersKey));

  // the travelling dots: drawn on each frame of the clock on a canvas over the servers' box (in
  // flow coordinates, scaled for the zoom and the screen), grouped by kind: a path per kind
  const drawn = useRef<Dot[]>([]);
  const zoom = useFlowStore((s) => s.transform[2]);
  const domNode = useFlowStore((s) => s.domNode);
  const theme = usePlayground((s) => s.theme);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const box = dotsBox(centers);
  const boxKey = box ? `${box.x},${box.y},${box.w},${box.h}` : '';
  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !boxKey) return;
    const [bx, by, bw, bh] = boxKey.split(',').map(Number);
    const scale = Math.max(0.25, zoom * (window.devicePixelRatio || 1));
    canvas.width = Math.ceil(bw * scale);
    canvas.height = Math.ceil(bh * scale);
    // each kind's dot (and its fading variant) is drawn once, at this scale and in the theme's
    // colours, into a small sprite; a frame is a clear and a blit per dot (the canvas is rastered
    // on this thread: a stroked path per dot cost ~2 ms a frame under saturation)
    type Sprite = { img: HTMLCanvasElement; half: number };
    /** per kind: [r 6, r 6 fading, r 3, r 3 fading] */
    const sprites = new Map<string, (Sprite | undefined)[]>();
    let css: CSSStyleDeclaration | null = null;
    const sprite = (kind: string, r: number, fading: boolean): Sprite => {
      let ofKind = sprites.get(kind);
      if (!ofKind) sprites.set(kind, (ofKind = []));
      const slot = (r === 6 ? 0 : 2) + (fading ? 1 : 0);
      let sp = ofKind[slot];
      if (sp) return sp;
      css ??= getComputedStyle(canvas);
      const size = Math.ceil((2 * r + 2) * scale) + 2;
      const img = document.createElement('canvas');
      img.width = size;
      img.height = size;
      const g = img.getContext('2d');
      if (g) {
        g.globalAlpha = fading ? 0.4 : 0.95;
        g.beginPath();
        g.arc(size / 2, size / 2, r * scale, 0, 2 * Math.PI);
        g.fillStyle = css.getPropertyValue(`--k-${kind}`).trim() || '#888';
        g.fill();
        g.lineWidth = 1.5 * scale;
        g.strokeStyle = css.getPropertyValue('--panel').trim() || '#fff';
        g.stroke();
      }
      ofKind[slot] = sp = { img, half: size / 2 };
      return sp;
    };
    let blank = true;
    const draw = (): void => {
      const now = clock.now;
      const at = new Map<Sid, Point | null>();
      const center = (sid: Sid): Point | null => {
        let c = at.get(sid);
        if (c === undefined) {
          c = nodeCenter(flow, sid);
          at.set(sid, c);
        }
        return c;
      };
      const list: Dot[] = [];
      for (const m of clock.items) {
        const p = (now - m.startedAt) / travelMs;
        if (p < 0 || p > 1) continue;
        const a = center(m.from);
        const b = center(m.to);
        if (!a || !b) continue; // a client's message, or a server not shown
        const pos = pointOnLink(a, b, m.dropped ? Math.min(p, 0.5) : p);
        // a dropped message stops half way and fades
        list.push({ x: pos.x, y: pos.y, r: m.kind === 'ping' ? 3 : 6, text: m.text, kind: m.kind, fading: m.dropped && p > 0.5 });
      }
      drawn.current = list;
      if (blank && list.length === 0) return;
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      blank = list.length === 0;
      for (const d of list) {
        const sp = sprite(d.kind, d.r, d.fading);
        ctx.drawImage(sp.img, Math.round((d.x - bx) * scale - sp.half), Math.round((d.y - by) * scale - sp.half));
      }
    };
    // (drawn from the clock's next frame on: the colours are read then, once the theme this
    // effect may have run for is on the document; resizing the canvas above cleared it)
    const off = clock.subscribe(draw);
    return () => {
      off();
      drawn.current = [];
    };
  }, [clock, flow, boxKey, zoom, theme]);

  // pointing at a travelling dot: the canvas takes no pointer events (the pane under it pans and
  // the cards take clicks), so the pointer is hit-tested on the last frame's dots from the pane
  const hoverRef = useRef(onHover);
  hoverRef.current = onHover;
  useEffect(() => {
    if (!domNode) return;
    let showing = false;
    const move = (e: MouseEvent): void => {
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      let best: Dot | null = null;
      let bestD = Number.POSITIVE_INFINITY;
      for (const dot of drawn.current) {
        const dd = Math.hypot(dot.x - p.x, dot.y - p.y);
        if (dd <= dot.r + 4 && dd < bestD) {
          best = dot;
          bestD = dd;
        }
      }
      if (best) hoverRef.current({ text: best.text, kind: best.kind, x: e.clientX, y: e.clientY });
      else if (showing) hoverRef.current(null);
      showing = best !== null;
    };
    domNode.addEventListener('mousemove', move);
    return () => domNode.removeEventListener('mousemove', move);
  }, [domNode, flow]);

  const hoverFrom = (e: React.MouseEvent<SVGElement>): void => {
    const el = (e.target as Element).closest('[data-text]');
    if (!el) return;
    onHover({ text: el.getAttribute('data-text') ?? '', kind: el.getAttribute('data-kind') ?? '', x: e.clientX, y: e.clientY });
  };

  const held: React.JSX.Element[] = [];
  if (lockstep) {
    // spread the held messages of one direction along their link, so each can be clicked
    const perLink = new Map<string, number>();
    for (const m of inFlight.values()) {
      const a = centers.get(m.from);
      const b = centers.get(m.to);
      if (!a || !b) continue;
      const k = `${m.from}>${m.to}`;
      const i = perLink.get(k) ?? 0;
      perLink.set(k, i + 1);
      const pos = heldPoint(a, b, i);
      // where it goes and what it says; the engine's message id is not the user's business
      const text = `${m.from}→${m.to}: ${m.text}`;
      held.push(
        <circle key={m.msgId} className="held nopan" cx={pos.x} cy={pos.y} r={9} fill={kindColor(m.kind)} stroke="var(--text)" strokeWidth={1.5}
          data-testid="inflight" data-msg-id={m.msgId} data-kind={m.kind} data-text={text} onClick={(e) => onMsgClick(m, e.clientX, e.clientY)}>
          <title>{text}</title>
        </circle>,
      );
    }
  }
  // travelling dots pass under the cards; held ones sit on the visible part of their link, and
  // above the cards (a click must reach them even where cards crowd)
  return (
    <>
      <EdgeLabelRenderer>
        <canvas ref={canvasRef} className="anim-layer" data-testid="msg-dots" aria-hidden="true"
          style={box ? { left: box.x, top: box.y, width: box.w, height: box.h } : { display: 'none' }} />
      </EdgeLabelRenderer>
      {held.length > 0 && (
        <ViewportPortal>
          <svg className="msg-layer" onMouseOver={hoverFrom} onMouseOut={() => onHover(null)}>{held}</svg>
        </ViewportPortal>
      )}
    </>
  );
}
