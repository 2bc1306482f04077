import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { kindColor } from '../flow/LinkEdge.tsx';
import { roleColor } from '../flow/nodes.tsx';
import { sameBy, usePlayground, usePlaygroundStable } from '../store/store.ts';
import { readableDescribe } from './data-format.ts';
import { columnX, fitColumnWidth, rowHeights, timelineLayout } from './timeline-layout.ts';
import { historyRedrawMs, useThrottled } from '../app/use-throttled.ts';

/** the newest messages drawn (the view model keeps up to 600) */
const shownMax = 300;
const headPx = 40;
export function TimelineView(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const timeline = useThrottled(usePlayground((s) => s.vm.timeline), historyRedrawMs);
  const marks = useThrottled(usePlayground((s) => s.vm.marks), historyRedrawMs);
  const status = usePlaygroundStable((s) => s.status, sameBy((x) => `${x.sid} ${x.role}`)); // the fields shown
  const startT = usePlayground((s) => s.vm.startT) ?? 0;
  const mode = usePlayground((s) => s.mode);
  const [zoom, setZoom] = useState(1);
  const sidsKey = status.map((s) => s.sid).join(',');
  // the columns share the view's width (5 servers fit at 1280x720)
  const root = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);
  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const columnWidth = fitColumnWidth(width, Math.max(1, status.length));
  const layout = useMemo(
    () => timelineLayout(timeline.slice(-shownMax), marks.slice(-shownMax / 2), sidsKey === '' ? [] : sidsKey.split(',').map(Number), { rowHeight: rowHeights[zoom], columnWidth }),
    [timeline, marks, sidsKey, zoom, columnWidth],
  );
  const [hover, setHover] = useState<{ msgId: number; x: number; y: number } | null>(null);

  // follow the newest messages while the view is scrolled to its end; scrolled up, stay put
  const following = useRef(true);
  useEffect(() => {
    const pane = root.current?.closest('.pane');
    if (!pane) return;
    const onScroll = (): void => {
      following.current = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 24;
    };
    pane.addEventListener('scroll', onScroll, { passive: true });
    return () => pane.removeEventListener('scroll', onScroll);
  }, []);
  useLayoutEffect(() => {
    const pane = root.current?.closest('.pane');
    if (pane && following.current) pane.scrollTop = pane.scrollHeight;
  }, [layout]);

  const x = (sid: number): number => columnX(layout.column.get(sid) ?? 0, layout.columnWidth);
  const hovered = hover ? layout.arrows.find((a) => a.msgId === hover.msgId) : undefined;
  const diagram = useMemo(() => (
    <>
      {[...layout.column.keys()].map((sid) => (
        <line key={sid} x1={x(sid)} x2={x(sid)} y1={0} y2={layout.height} stroke="var(--border)" strokeWidth={2} />
      ))}
      {layout.ticks.map((tk) => (
        <text key={tk.y} className="tick" x={4} y={tk.y + 4}>
          +{((tk.t - startT) / 1000).toFixed(3)}s
        </text>
      ))}
      {layout.arrows.map((a) => (
        <g key={a.msgId} data-msg={a.msgId} className="arrow">
          <line x1={x(a.from)} y1={a.y1} x2={x(a.to)} y2={a.y2} stroke={kindColor(a.kind)} strokeWidth={1.6} strokeDasharray={a.dropped ? '4 3' : undefined} markerEnd="url(#tl-arrow)" />
          {/* a wider, invisible stroke: easier to point at */}
          <line className="hit" x1={x(a.from)} y1={a.y1} x2={x(a.to)} y2={a.y2} stroke="transparent" strokeWidth={9} />
          <title>{`${a.from}→${a.to} ${readableDescribe(a.text)}`}</title>
          {a.label && <text className="label" x={a.label.x} y={a.label.y + a.label.h - 2} style={{ fill: kindColor(a.kind) }}>{a.label.text}</text>}
          {a.dropped && <text x={x(a.to)} y={a.y2 + 4} style={{ fill: 'var(--danger)' }}>✕</text>}
        </g>
      ))}
      {layout.marks.map((m, i) => m.sid === null || m.kind === 'fault'
        ? m.label && <text key={`m${i}`} className="mark" x={m.label.x} y={m.y + 4} style={{ fill: 'var(--danger)', fontWeight: 600 }}>{m.label.text}</text>
        : (
          <g key={`m${i}`}>
            <circle cx={x(m.sid)} cy={m.y} r={5} fill={roleColor[m.role ?? 'down']} />
            {/* the role in short; the full role and phase on hover */}
            {m.label && <text className="mark" x={m.label.x} y={m.y + 4} style={{ fill: roleColor[m.role ?? 'down'], fontWeight: 700 }}>{m.label.text}</text>}
            <title>{`${m.sid} ${m.text}`}</title>
          </g>
        ))}
      <defs>
        <marker id="tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--muted)" />
        </marker>
      </defs>
    </>
  ), [layout, startT]);

  return (
    <div className="tl" ref={root}>
      <div className="tl-top">
        <h2>{t('tl.title')}</h2>
        <span className="zoom">
          <button onClick={() => setZoom((z) => Math.max(0, z - 1))} disabled={zoom === 0} title={t('tl.zoomOut')} aria-label={t('tl.zoomOut')} data-testid="tl-zoom-out">−</button>
          <button onClick={() => setZoom((z) => Math.min(rowHeights.length - 1, z + 1))} disabled={zoom === rowHeights.length - 1} title={t('tl.zoomIn')} aria-label={t('tl.zoomIn')} data-testid="tl-zoom-in">+</button>
        </span>
      </div>
      <p className="note">{t('tl.hint')} {t('tl.labels')} ({t('tl.hidePing')})</p>
      {layout.rows === 0 ? <div className="empty">{t('tl.none')}</div> : (
        <div className="tl-diagram" style={{ width: layout.width }}>
          {/* the server headers stay in view while the diagram scrolls under them */}
          <div className="tl-head" data-testid="timeline-head" style={{ height: headPx }}>
            {status.map((s) => (
              <span key={s.sid} style={{ left: x(s.sid) - layout.columnWidth / 2, width: layout.columnWidth, borderBottomColor: roleColor[s.role] }} data-testid={`timeline-head-${s.sid}`}>
                <b>{t('srv.server', { sid: s.sid })}</b><small style={{ color: roleColor[s.role] }}>{t(`role.${s.role}` as MessageKey)}</small>
              </span>
            ))}
          </div>
          <svg width={layout.width} height={layout.height + 10} data-testid="timeline" className={hovered ? 'hovering' : undefined}
            style={{ cursor: mode === 'lockstep' ? 'pointer' : 'default' }}
            onMouseOver={(e) => {
              const g = (e.target as Element).closest('[data-msg]');
              const r = e.currentTarget.getBoundingClientRect();
              if (g) setHover({ msgId: Number(g.getAttribute('data-msg')), x: e.clientX - r.left, y: e.clientY - r.top });
            }}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              if (mode !== 'lockstep') return;
              // rewind to just after the message sent nearest the click (the conductor replays)
              const y = e.clientY - e.currentTarget.getBoundingClientRect().top;
              const near = layout.arrows.reduce<(typeof layout.arrows)[number] | null>((best, a) => (best === null || Math.abs(a.y1 - y) < Math.abs(best.y1 - y) ? a : best), null);
              const seq = near ? timeline.find((m) => m.msgId === near.msgId)?.sentSeq : undefined;
              if (seq !== undefined) void services.rewind(seq);
            }}>
            {diagram}
            {hovered && <line className="hl" x1={x(hovered.from)} y1={hovered.y1} x2={x(hovered.to)} y2={hovered.y2} stroke={kindColor(hovered.kind)} strokeWidth={3.5} markerEnd="url(#tl-arrow)" pointerEvents="none" />}
          </svg>
          {hover && hovered && (
            <div className="tl-hover" data-testid="timeline-hover" style={{ left: Math.min(hover.x + 12, Math.max(0, layout.width - 360)), top: hover.y + headPx + 14 }}>
              <span style={{ color: kindColor(hovered.kind) }}>●</span> {t(`kind.${hovered.kind}` as MessageKey)} · {t('srv.server', { sid: hovered.from })} → {t('srv.server', { sid: hovered.to })}
              <div className="t">{readableDescribe(hovered.text)}</div>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
