/**
 * toFlowGraph: the cluster picture as @xyflow/react nodes and edges, a pure function of the
 * servers (their ids, in status order) and the UI's selection (STYLE.md 19). Servers sit on a
 * circle in id order; each client sits outside the server its session is on.
 */
import type { Edge, Node } from '@xyflow/react';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { ServerStatus } from '../../runtime/playground/api.ts';

/**
 * A server card's place in the graph. The card reads its own status from the store (the fields
 * it shows), so the graph changes only when servers, selection, partitions or clients do, not
 * with every status snapshot (bench/README.md, UI fps).
 */
export interface ServerNodeData extends Record<string, unknown> {
  readonly sid: Sid;
  readonly selected: boolean;
  readonly picked: boolean;
  readonly differs: boolean;
  /** a smaller card (its kill/restart button in the top row) for four servers or more */
  readonly compact: boolean;
}

export interface ClientNodeData extends Record<string, unknown> {
  readonly name: string;
  readonly state: string;
}

export interface LinkEdgeData extends Record<string, unknown> {
  readonly a: Sid;
  readonly b: Sid;
  readonly cut: boolean;
}

export interface ClientAttachment {
  readonly name: string;
  readonly sid: Sid | null;
  readonly state: string;
}

export const serverNodeWidth = 200;
export const serverNodeHeight = 150;
/**
 * From this many servers the cards are compact and the ellipse flatter: five full cards on the
 * 3-server ellipse need ~640x400 px, which the cluster pane (~680x300 at 1280x720) shows at ~60%
 * (8 px text); compact ones on the flatter ellipse need ~610x330 and show at ~85%.
 */
export const compactFrom = 4;
export const compactNodeWidth = 196;
export const compactNodeHeight = 118;

export function serverNodeSize(count: number): { width: number; height: number } {
  return count >= compactFrom ? { width: compactNodeWidth, height: compactNodeHeight } : { width: serverNodeWidth, height: serverNodeHeight };
}

export function serverPosition(index: number, count: number): { x: number; y: number } {
  if (count === 1) return { x: 0, y: 0 };
  const r = 90 + 28 * count;
  const [rx, ry] = count >= compactFrom ? [r * 0.95, r * 0.5] : [r, r * 0.6];
  const angle = -Math.PI / 2 + (2 * Math.PI * index) / count;
  return { x: Math.round(rx * Math.cos(angle)), y: Math.round(ry * Math.sin(angle)) };
}

export function isCut(groups: readonly (readonly Sid[])[] | null, a: Sid, b: Sid): boolean {
  if (!groups) return false;
  const ga = groups.findIndex((g) => g.includes(a));
  const gb = groups.findIndex((g) => g.includes(b));
  return ga >= 0 && gb >= 0 && ga !== gb;
}

export function linkId(a: Sid, b: Sid): string {
  return a < b ? `link-${a}-${b}` : `link-${b}-${a}`;
}

export function toFlowGraph(input: {
  status: readonly Pick<ServerStatus, 'sid'>[];
  selectedSid: Sid;
  picked: readonly Sid[];
  partitioned: readonly (readonly Sid[])[] | null;
  differs: ReadonlySet<Sid>;
  clients: readonly ClientAttachment[];
}): { nodes: Node[]; edges: Edge[] } {
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const n = input.status.length;
  const size = serverNodeSize(n);
  const pos = new Map<Sid, { x: number; y: number }>();
  input.status.forEach((s, i) => {
    const p = serverPosition(i, n);
    pos.set(s.sid, p);
    const data: ServerNodeData = { sid: s.sid, selected: s.sid === input.selectedSid, picked: input.picked.includes(s.sid), differs: input.differs.has(s.sid), compact: n >= compactFrom };
    nodes.push({ id: `s${s.sid}`, type: 'server', position: { x: p.x - size.width / 2, y: p.y - size.height / 2 }, data, draggable: true });
  });
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = input.status[i].sid;
      const b = input.status[j].sid;
      const data: LinkEdgeData = { a, b, cut: isCut(input.partitioned, a, b) };
      edges.push({ id: linkId(a, b), source: `s${a}`, target: `s${b}`, type: 'link', data, selectable: false, focusable: false });
    }
  }
  const perServer = new Map<string, number>();
  input.clients.forEach((c, i) => {
    const key = c.sid === null ? 'none' : String(c.sid);
    const k = perServer.get(key) ?? 0;
    perServer.set(key, k + 1);
    const base = c.sid !== null ? pos.get(c.sid) : undefined;
    let x: number;
    let y: number;
    if (base) {
      const len = Math.hypot(base.x, base.y) || 1;
      // beside the server, on the side away from the centre
      x = base.x + (base.x >= 0 ? size.width / 2 + 16 : -size.width / 2 - 56);
      y = base.y - 40 + k * 30 + (base.y / len) * 10;
    } else {
      x = -60 + i * 90;
      y = 0;
    }
    const data: ClientNodeData = { name: c.name, state: c.state };
    nodes.push({ id: `c-${c.name}`, type: 'client', position: { x, y }, data, draggable: true });
    if (c.sid !== null) edges.push({ id: `ce-${c.name}`, source: `c-${c.name}`, target: `s${c.sid}`, type: 'straight', selectable: false, focusable: false, style: { strokeDasharray: '3 3', opacity: 0.7 } });
  });
  return { nodes, edges };
}
