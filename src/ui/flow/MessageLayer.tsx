/**
 * The messages on the cluster's links, drawn in one SVG layer between the links and the server
 * cards (the edge-label layer of @xyflow/react, so pan and zoom apply to it):
 * - travelling dots (AnimClock): one <path> per message kind whose `d` holds a circle per
 *   message, rewritten imperatively on each animation frame; no React render per frame and a
 *   handful of attribute writes whatever the traffic (bench/README.md, fix 8);
 * - in lockstep, the messages the conductor holds (`vm.inFlight`), on the visible part of their
 *   link above the cards, rendered by React when the set changes; a click opens the
 *   deliver/drop/delay popover.
 * Hovering a dot shows its `describe` text (the hover box), and its <title> for screen readers.
 */
import { EdgeLabelRenderer, ViewportPortal, useReactFlow, useStore as useFlowStore, type ReactFlowState } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { InFlightMessage } from '../../runtime/playground/api.ts';
import { usePlayground } from '../store/store.ts';
import { travelMs, type AnimClock } from './anim.ts';
import { kindColor } from './LinkEdge.tsx';

const svgNs = 'http://www.w3.org/2000/svg';
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
  const animLayer = useRef<SVGGElement>(null);
  const lockstep = usePlayground((s) => s.mode === 'lockstep');
  // held messages are shown in lockstep only (live, the map changes with every update)
  const inFlight = usePlayground((s) => (s.mode === 'lockstep' ? s.vm.inFlight : noneHeld));
  const centers = parseCenters(useFlowStore(centersKey));

  // the travelling dots: drawn on each frame of the clock, outside React, as one <path> per
  // kind (a circle per message in its `d`): a few attribute writes a frame, whatever the traffic
  const drawn = useRef<{ x: number; y: number; r: number; text: string; kind: string }[]>([]);
  useEffect(() => {
    const g = animLayer.current;
    if (!g) return;
    const paths = new Map<string, SVGPathElement>();
    const shown = new Set<string>();
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
      const d = new Map<string, string[]>();
      const list: { x: number; y: number; r: number; text: string; kind: string }[] = [];
      for (const m of clock.items) {
        const p = (now - m.startedAt) / travelMs;
        if (p < 0 || p > 1) continue;
        const a = center(m.from);
        const b = center(m.to);
        if (!a || !b) continue; // a client's message, or a server not shown
        const pos = pointOnLink(a, b, m.dropped ? Math.min(p, 0.5) : p);
        const r = m.kind === 'ping' ? 3 : 6;
        // a dropped message stops half way and fades: drawn in its kind's fading path
        const key = m.dropped && p > 0.5 ? `${m.kind}:fading` : m.kind;
        let parts = d.get(key);
        if (!parts) d.set(key, (parts = []));
        parts.push(`M${(pos.x - r).toFixed(1)} ${pos.y.toFixed(1)}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`);
        list.push({ x: pos.x, y: pos.y, r, text: m.text, kind: m.kind });
      }
      drawn.current = list;
      for (const [key, parts] of d) {
        let el = paths.get(key);
        if (!el) {
          el = document.createElementNS(svgNs, 'path');
          const kind = key.split(':')[0];
          el.setAttribute('fill', kindColor(kind));
          el.setAttribute('stroke', 'var(--panel)');
          el.setAttribute('stroke-width', '1.5');
          el.setAttribute('opacity', key.endsWith(':fading') ? '0.4' : '0.95');
          el.setAttribute('data-testid', 'msg-dots');
          el.setAttribute('data-kind', kind);
          g.appendChild(el);
          paths.set(key, el);
        }
        el.setAttribute('d', parts.join(''));
        shown.add(key);
      }
      for (const key of shown) {
        if (d.has(key)) continue;
        paths.get(key)?.setAttribute('d', '');
        shown.delete(key);
      }
    };
    draw();
    const off = clock.subscribe(draw);
    return () => {
      off();
      for (const el of paths.values()) el.remove();
    };
  }, [clock, flow]);

  /** the travelling dot under the pointer (hit-tested on the last frame's positions) */
  const hoverAnimated = (e: React.MouseEvent<SVGElement>): void => {
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    let best: (typeof drawn.current)[number] | null = null;
    let bestD = Number.POSITIVE_INFINITY;
    for (const dot of drawn.current) {
      const dd = Math.hypot(dot.x - p.x, dot.y - p.y);
      if (dd <= dot.r + 4 && dd < bestD) {
        best = dot;
        bestD = dd;
      }
    }
    if (best) onHover({ text: best.text, kind: best.kind, x: e.clientX, y: e.clientY });
  };

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
      const text = `#${m.msgId} ${m.from}→${m.to}: ${m.text}`;
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
        <svg className="msg-layer anim-layer" onMouseMove={hoverAnimated} onMouseOut={() => onHover(null)}>
          <g ref={animLayer} className="anim" />
        </svg>
      </EdgeLabelRenderer>
      {held.length > 0 && (
        <ViewportPortal>
          <svg className="msg-layer" onMouseOver={hoverFrom} onMouseOut={() => onHover(null)}>{held}</svg>
        </ViewportPortal>
      )}
    </>
  );
}
