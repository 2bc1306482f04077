import { BaseEdge, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import type { LinkEdgeData } from './to-flow-graph.ts';

export function kindColor(kind: string): string {
  return `var(--k-${kind})`;
}

/**
 * A link between two servers: a line, dashed and marked ✂ while a partition cuts it. The
 * messages on it are drawn by MessageLayer, in one layer for all links.
 */
function LinkEdgeImpl(props: EdgeProps<Edge<LinkEdgeData>>): React.JSX.Element {
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const cut = data?.cut ?? false;
  return (
    <>
      <BaseEdge path={`M ${sourceX},${sourceY} L ${targetX},${targetY}`} style={{ stroke: cut ? 'var(--danger)' : 'var(--border)', strokeWidth: cut ? 2 : 2.5, strokeDasharray: cut ? '6 6' : undefined }} />
      {cut && <text x={(sourceX + targetX) / 2} y={(sourceY + targetY) / 2} fill="var(--danger)" fontSize={22} textAnchor="middle" dominantBaseline="middle">✂</text>}
    </>
  );
}

export const LinkEdge = memo(LinkEdgeImpl);
