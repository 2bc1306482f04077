import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { InFlightMessage } from '../../runtime/playground/api.ts';
import { usePlayground } from '../store/store.ts';
import { AnimClock, travelMs } from './anim.ts';
import type { LinkEdgeData } from './to-flow-graph.ts';

export const AnimContext = createContext<AnimClock>(new AnimClock());
export const MessageClickContext = createContext<(m: InFlightMessage, x: number, y: number) => void>(() => undefined);

export function kindColor(kind: string): string {
  return `var(--k-${kind})`;
}

export function LinkEdge(props: EdgeProps<Edge<LinkEdgeData>>): React.JSX.Element {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const clock = useContext(AnimContext);
  const onMsgClick = useContext(MessageClickContext);
  useSyncExternalStore(clock.subscribe, clock.getFrame);
  const lockstep = usePlayground((s) => s.mode === 'lockstep');
  const inFlight = usePlayground((s) => s.vm.inFlight);
  const a = data?.a ?? 0;
  const b = data?.b ?? 0;
  const cut = data?.cut ?? false;
  // a small sideways offset keeps the two directions apart
  const dx = targetX - sourceX;
  const dy = targetY - sourceY;
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len;
  const ny = dx / len;
  const at = (fromA: boolean, p: number): [number, number] => {
    const q = fromA ? p : 1 - p;
    const side = fromA ? 5 : -5;
    return [sourceX + dx * q + nx * side, sourceY + dy * q + ny * side];
  };
  const dots: React.JSX.Element[] = [];
  for (const m of clock.items) {
    if (!((m.from === a && m.to === b) || (m.from === b && m.to === a))) continue;
    const p = (clock.now - m.startedAt) / travelMs;
    if (p < 0 || p > 1) continue;
    const shown = m.dropped ? Math.min(p, 0.5) : p;
    const [x, y] = at(m.from === a, shown);
    dots.push(
      <circle key={m.key} cx={x} cy={y} r={m.kind === 'ping' ? 3 : 6} fill={kindColor(m.kind)} opacity={m.dropped && p > 0.5 ? 1.5 - p * 1.5 : 0.95} stroke="var(--panel)" strokeWidth={1.5}>
        <title>{m.text}</title>
      </circle>,
    );
  }
  if (lockstep) {
    let i = 0;
    for (const m of inFlight.values()) {
      if (!((m.from === a && m.to === b) || (m.from === b && m.to === a))) continue;
      const [x, y] = at(m.from === a, 0.35 + ((i++ * 0.08) % 0.4));
      dots.push(
        <g key={`f${m.msgId}`} style={{ cursor: 'pointer', pointerEvents: 'all' }} onClick={(e) => onMsgClick(m, e.clientX, e.clientY)} data-testid="inflight">
          <circle cx={x} cy={y} r={9} fill={kindColor(m.kind)} stroke="var(--text)" strokeWidth={1.5} />
          <title>{`#${m.msgId} ${m.from}→${m.to}: ${m.text}`}</title>
        </g>,
      );
    }
  }
  return (
    <>
      <BaseEdge path={`M ${sourceX},${sourceY} L ${targetX},${targetY}`} style={{ stroke: cut ? 'var(--danger)' : 'var(--border)', strokeWidth: cut ? 2 : 2.5, strokeDasharray: cut ? '6 6' : undefined }} />
      {cut && <text x={(sourceX + targetX) / 2} y={(sourceY + targetY) / 2} fill="var(--danger)" fontSize={22} textAnchor="middle" dominantBaseline="middle">✂</text>}
      {dots}
    </>
  );
}
