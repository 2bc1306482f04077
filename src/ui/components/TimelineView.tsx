import { useEffect, useMemo, useRef } from 'react';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { kindColor } from '../flow/LinkEdge.tsx';
import { roleColor } from '../flow/nodes.tsx';
import { usePlayground } from '../store/store.ts';
import { timelineLayout } from './timeline-layout.ts';

export function TimelineView(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const timeline = usePlayground((s) => s.vm.timeline);
  const marks = usePlayground((s) => s.vm.marks);
  const status = usePlayground((s) => s.status);
  const startT = usePlayground((s) => s.vm.startT) ?? 0;
  const mode = usePlayground((s) => s.mode);
  const layout = useMemo(() => timelineLayout(timeline.slice(-160), marks.slice(-60), status.map((s) => s.sid)), [timeline, marks, status]);
  const colW = 150;
  const bottom = useRef<HTMLDivElement>(null);
  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [layout]);
  const left = 70;
  const width = left + colW * Math.max(1, status.length);
  const x = (sid: number): number => left + colW * (layout.column.get(sid) ?? 0) + colW / 2;
  return (
    <div className="tl">
      <h2>{t('tl.title')}</h2>
      <p className="note">{t('tl.hint')} ({t('tl.hidePing')})</p>
      {layout.rows === 0 ? <div className="empty">{t('tl.none')}</div> : (
        <svg width={width} height={layout.height + 30} data-testid="timeline" style={{ cursor: mode === 'lockstep' ? 'pointer' : 'default' }}
          onClick={(e) => {
            if (mode !== 'lockstep') return;
            // rewind to just after the message sent nearest the click (the conductor replays)
            const y = e.clientY - e.currentTarget.getBoundingClientRect().top - 24;
            const near = layout.arrows.reduce<(typeof layout.arrows)[number] | null>((best, a) => (best === null || Math.abs(a.y1 - y) < Math.abs(best.y1 - y) ? a : best), null);
            const seq = near ? timeline.find((m) => m.msgId === near.msgId)?.sentSeq : undefined;
            if (seq !== undefined) void services.runtime.rewind(seq);
          }}>
          {status.map((s) => (
            <g key={s.sid}>
              <text x={x(s.sid)} y={14} textAnchor="middle" style={{ fontWeight: 700, fill: 'var(--text)' }}>{t('srv.server', { sid: s.sid })}</text>
              <line x1={x(s.sid)} x2={x(s.sid)} y1={22} y2={layout.height + 24} stroke="var(--border)" strokeWidth={2} />
            </g>
          ))}
          {layout.ticks.map((tk) => (
            <text key={tk.y} x={4} y={tk.y + 28}>
              +{((tk.t - startT) / 1000).toFixed(3)}s
            </text>
          ))}
          {layout.marks.map((m, i) => m.sid === null || m.kind === 'fault'
            ? <text key={`m${i}`} className="mark" x={left} y={m.y + 28} style={{ fill: 'var(--danger)', fontWeight: 600 }}>{m.text}</text>
            : (
              <g key={`m${i}`}>
                <circle cx={x(m.sid)} cy={m.y + 24} r={5} fill={roleColor[m.role ?? 'down']} />
                {/* the role in short; the full role and phase on hover */}
                <text className="mark" x={x(m.sid) + 8} y={m.y + 28} style={{ fill: roleColor[m.role ?? 'down'], fontWeight: 700 }}>{m.text.split(' ')[0]}</text>
                <title>{`${m.sid} ${m.text}`}</title>
              </g>
            ))}
          {layout.arrows.map((a) => (
            <g key={a.msgId}>
              <line x1={x(a.from)} y1={a.y1 + 24} x2={x(a.to)} y2={a.y2 + 24} stroke={kindColor(a.kind)} strokeWidth={1.6} strokeDasharray={a.dropped ? '4 3' : undefined} markerEnd="url(#arrow)" />
              <title>{`${a.from}→${a.to} ${a.text}`}</title>
              {a.dropped && <text x={x(a.to)} y={a.y2 + 28} style={{ fill: 'var(--danger)' }}>✕</text>}
            </g>
          ))}
          <defs>
            <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--muted)" />
            </marker>
          </defs>
        </svg>
      )}
      <div ref={bottom} />
    </div>
  );
}
