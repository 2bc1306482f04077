import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { kindColor } from '../flow/LinkEdge.tsx';
import { roleColor } from '../flow/nodes.tsx';
import { sameBy, usePlayground, usePlaygroundStable } from '../store/store.ts';
import { readableDescribe } from './data-format.ts';
import { arrowAt, arrowPaths, columnX, estimateTextWidth, fitColumnWidth, rowHeights, TimelineTrack, type TextWidth, type TimelineArrow, type TimelineMarkLayout } from './timeline-layout.ts';
import { historyRedrawMs, useThrottled } from '../app/use-throttled.ts';
import { watchPane } from '../app/watch-pane.ts';

/** the newest messages drawn (the view model keeps up to 600) */
const shownMax = 300;
const headPx = 40;
/** px drawn beyond the pane's viewport, above and below */
const overscanPx = 300;
/** a scroll re-draws which arrows are in the DOM once it has moved this far */
const scrollStepPx = 100;

/** One message's label (and ✕ if dropped): drawn again only when its layout object changes (a delivery), not when others come or go. */
const ArrowText = memo(function ArrowText({ a, x2 }: { a: TimelineArrow; x2: number }): React.JSX.Element {
  return (
    <>
      {a.label && <text className="label" data-msg={a.msgId} x={a.label.x} y={a.label.y + a.label.h - 2} style={{ fill: kindColor(a.kind) }}>{a.label.text}</text>}
      {a.dropped && <text x={x2} y={a.y2 + 4} style={{ fill: 'var(--danger)' }}>✕</text>}
    </>
  );
});

const MarkView = memo(function MarkView({ m, x }: { m: TimelineMarkLayout; x: number }): React.JSX.Element | null {
  if (m.sid === null || m.kind === 'fault') return m.label && <text className="mark" x={m.label.x} y={m.y + 4} style={{ fill: 'var(--danger)', fontWeight: 600 }}>{m.label.text}</text>;
  return (
    <g>
      <circle cx={x} cy={m.y} r={5} fill={roleColor[m.role ?? 'down']} />
      {/* the role in short; the full role and phase on hover */}
      {m.label && <text className="mark" x={m.label.x} y={m.y + 4} style={{ fill: roleColor[m.role ?? 'down'], fontWeight: 700 }}>{m.label.text}</text>}
      <title>{`${m.sid} ${m.text}`}</title>
    </g>
  );
});

/**
 * The sequence diagram of the newest messages between servers. The layout is kept from one
 * redraw to the next (TimelineTrack): what was drawn stays where it is and only new or delivered
 * arrows are drawn again, the diagram moving up by one translate as the oldest leave; and only
 * what is in (or near) the pane's viewport is in the DOM. Under saturating writes every message
 * of the view is new at each redraw, and drawing all 300 took the UI under 50 fps with this tab
 * open (bench/README.md, fix 28).
 */
/**
 * Labels' widths as drawn (theme.css: `.tl .label` 11 px, weight 600, a 3 px halo; `.mark` 11 px,
 * weight 700 for a role and 600 for a fault, a 4 px halo), measured on a canvas in the page's sans
 * font so that the layout's no-overlap rule holds in whatever font the machine has (a bold
 * capital is ~8 px wide at 11 px in DejaVu Sans, more than the per-character estimate).
 */
function measuredTextWidth(): TextWidth {
  const ctx = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!ctx) return estimateTextWidth;
  const family = getComputedStyle(document.documentElement).getPropertyValue('--sans').trim() || 'sans-serif';
  const cache = new Map<string, number>();
  return (text, style) => {
    const key = `${style} ${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      ctx.font = `${style === 'mark' ? 700 : 600} 11px ${family}`;
      w = Math.ceil(ctx.measureText(text).width) + (style === 'label' ? 3 : 4);
      if (cache.size > 1000) cache.clear();
      cache.set(key, w);
    }
    return w;
  };
}

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
  const track = useRef<TimelineTrack | null>(null);
  const textWidth = useMemo(measuredTextWidth, []);
  const layout = useMemo(() => {
    track.current ??= new TimelineTrack();
    return track.current.update(timeline.slice(-shownMax), marks.slice(-shownMax / 2), sidsKey === '' ? [] : sidsKey.split(',').map(Number), { rowHeight: rowHeights[zoom], columnWidth, textWidth });
  }, [timeline, marks, sidsKey, zoom, columnWidth, textWidth]);
  const [hover, setHover] = useState<{ msgId: number; x: number; y: number } | null>(null);

  // follow the newest messages while the view is scrolled to its end; scrolled up, stay put
  // (what is in view stays where it is as the oldest messages leave above it)
  const following = useRef(true);
  const svg = useRef<SVGSVGElement>(null);
  // the pane's viewport: scrollTop (in scrollStepPx steps), height, and where the diagram starts in it
  const [view, setView] = useState({ scrollTop: 0, height: 900, svgTop: 0 });
  const hasRows = layout.rows > 0;
  useEffect(() => {
    const pane = root.current?.closest('.pane');
    if (!(pane instanceof HTMLElement)) return;
    const measure = (): void => {
      following.current = pane.scrollTop + pane.clientHeight >= pane.scrollHeight - 24;
      const el = svg.current;
      const svgTop = el ? el.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop : 0;
      // (following, the rows drawn are the last ones whatever the scrollTop: no redraw for it)
      const scrollTop = following.current ? -1 : Math.round(pane.scrollTop / scrollStepPx) * scrollStepPx;
      setView((v) => (v.scrollTop === scrollTop && v.height === pane.clientHeight && v.svgTop === svgTop ? v : { scrollTop, height: pane.clientHeight, svgTop }));
    };
    return watchPane(pane, measure);
  }, [hasRows]);
  const shownTop = useRef(layout.top);
  useLayoutEffect(() => {
    const pane = root.current?.closest('.pane');
    const moved = layout.top - shownTop.current;
    shownTop.current = layout.top;
    if (!pane) return;
    if (following.current) pane.scrollTop = pane.scrollHeight;
    else if (moved > 0) pane.scrollTop -= moved; // (a layout made afresh starts at 0: nothing stays put)
  }, [layout]);
  // the diagram's rows in (or near) the viewport, in the layout's y: at the end when following
  const svgHeight = layout.height + 10;
  const viewTop = following.current ? svgHeight - view.height : view.scrollTop - view.svgTop;
  const lo = layout.top + viewTop - overscanPx;
  const hi = layout.top + viewTop + view.height + overscanPx;

  const x = (sid: number): number => columnX(layout.column.get(sid) ?? 0, layout.columnWidth);
  const hovered = hover ? layout.arrows.find((a) => a.msgId === hover.msgId) : undefined;
  const diagram = useMemo(() => {
    const shown = layout.arrows.filter((a) => a.y2 >= lo && a.y1 <= hi);
    // the arrows' lines and heads: a few paths (an element per arrow, all new at each redraw
    // under saturating writes, cost more than the rest of the tab's frame)
    const paths = arrowPaths(shown, x, layout.top);
    return (
    <>
      {[...layout.column.keys()].map((sid) => (
        <line key={sid} x1={x(sid)} x2={x(sid)} y1={0} y2={layout.height} stroke="var(--border)" strokeWidth={2} />
      ))}
      {[...paths.lines].map(([key, d]) => {
        const [kind, dropped] = key.split(' ');
        return <path key={key} className="arrow" data-kind={kind} d={d} fill="none" stroke={kindColor(kind)} strokeWidth={1.6} strokeDasharray={dropped ? '4 3' : undefined} />;
      })}
      <path className="arrow" d={paths.heads} fill="var(--muted)" />
      {/* the layout's y from a fixed origin: one translate as the oldest rows leave */}
      <g transform={`translate(0 ${-layout.top})`}>
        {layout.ticks.map((tk) => tk.y >= lo && tk.y <= hi && (
          <text key={tk.y} className="tick" x={4} y={tk.y + 4}>
            +{((tk.t - startT) / 1000).toFixed(3)}s
          </text>
        ))}
        {/* (a long arrow crosses the view with its label far above or below it) */}
        {shown.map((a) => ((a.label !== null && a.label.y >= lo && a.label.y <= hi) || (a.dropped && a.y2 <= hi)) && <ArrowText key={a.msgId} a={a} x2={x(a.to)} />)}
        {layout.marks.map((m) => m.y >= lo && m.y <= hi && <MarkView key={m.seq} m={m} x={m.sid === null ? 0 : x(m.sid)} />)}
      </g>
      <defs>
        <marker id="tl-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--muted)" />
        </marker>
      </defs>
    </>
    );
  }, [layout, startT, lo, hi]);

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
          <svg ref={svg} width={layout.width} height={svgHeight} data-testid="timeline" data-arrows={layout.arrows.length} className={hovered ? 'hovering' : undefined}
            style={{ cursor: mode === 'lockstep' ? 'pointer' : 'default' }}
            onMouseMove={(e) => {
              // the arrow under the pointer (within a few px: easy to point at)
              const r = e.currentTarget.getBoundingClientRect();
              const a = arrowAt(layout.arrows, x, e.clientX - r.left, e.clientY - r.top + layout.top);
              if (a === undefined) setHover((h) => (h === null ? h : null));
              else if (a.msgId !== hover?.msgId) setHover({ msgId: a.msgId, x: e.clientX - r.left, y: e.clientY - r.top });
            }}
            onMouseLeave={() => setHover(null)}
            onClick={(e) => {
              if (mode !== 'lockstep') return;
              // rewind to just after the message sent nearest the click (the conductor replays)
              const y = e.clientY - e.currentTarget.getBoundingClientRect().top + layout.top;
              const near = layout.arrows.reduce<(typeof layout.arrows)[number] | null>((best, a) => (best === null || Math.abs(a.y1 - y) < Math.abs(best.y1 - y) ? a : best), null);
              const seq = near ? timeline.find((m) => m.msgId === near.msgId)?.sentSeq : undefined;
              if (seq !== undefined) void services.rewind(seq);
            }}>
            {diagram}
            {hovered && <line className="hl" x1={x(hovered.from)} y1={hovered.y1 - layout.top} x2={x(hovered.to)} y2={hovered.y2 - layout.top} stroke={kindColor(hovered.kind)} strokeWidth={3.5} markerEnd="url(#tl-arrow)" pointerEvents="none" />}
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
