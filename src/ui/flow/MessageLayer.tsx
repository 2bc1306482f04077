/**
 * The messages on the cluster's links, drawn in one SVG layer between the links and the server
 * cards (the edge-label layer of @xyflow/react, so pan and zoom apply to it):
 * - travelling dots (AnimClock): a pool of <circle> elements moved imperatively on each animation
 *   frame; no React render per frame (bench/README.md "UI fps under load");
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
  const inFlight = usePlayground((s) => s.vm.inFlight);
  const centers = parseCenters(useFlowStore(centersKey));

  // the travelling dots: drawn on each frame of the clock, outside React
  useEffect(() => {
    const g = animLayer.current;
    if (!g) return;
    const pool: SVGCircleElement[] = [];
    const shownKey: string[] = [];
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
      let used = 0;
      for (const m of clock.items) {
        const p = (now - m.startedAt) / travelMs;
        if (p < 0 || p > 1) continue;
        const a = center(m.from);
        const b = center(m.to);
        if (!a || !b) continue; // a client's message, or a server not shown
        const pos = pointOnLink(a, b, m.dropped ? Math.min(p, 0.5) : p);
        let c = pool[used];
        if (!c) {
          c = document.createElementNS(svgNs, 'circle');
          c.setAttribute('stroke', 'var(--panel)');
          c.setAttribute('stroke-width', '1.5');
          c.setAttribute('data-testid', 'msg-dot');
          c.appendChild(document.createElementNS(svgNs, 'title'));
          g.appendChild(c);
          pool.push(c);
        }
        if (shownKey[used] !== m.key) {
          shownKey[used] = m.key;
          c.setAttribute('r', m.kind === 'ping' ? '3' : '6');
          c.setAttribute('fill', kindColor(m.kind));
          c.setAttribute('data-kind', m.kind);
          c.setAttribute('data-text', m.text);
          c.firstChild!.textContent = m.text;
          c.style.display = '';
        }
        c.setAttribute('cx', pos.x.toFixed(1));
        c.setAttribute('cy', pos.y.toFixed(1));
        c.setAttribute('opacity', m.dropped && p > 0.5 ? (1.5 - p * 1.5).toFixed(2) : '0.95');
        used++;
      }
      for (let i = used; i < pool.length; i++) {
        if (shownKey[i] === '') continue;
        shownKey[i] = '';
        pool[i].style.display = 'none';
      }
    };
    draw();
    const off = clock.subscribe(draw);
    return () => {
      off();
      for (const c of pool) c.remove();
    };
  }, [clock, flow]);

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
        <svg className="msg-layer" onMouseOver={hoverFrom} onMouseOut={() => onHover(null)}>
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
