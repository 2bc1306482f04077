import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import { usePlayground } from '../store/store.ts';
import { historyRedrawMs, useThrottled } from '../app/use-throttled.ts';
import { watchPane } from '../app/watch-pane.ts';
import type { ZabRow } from '../store/view-models.ts';
import { readableDescribe } from './data-format.ts';

/** The txn's operation: the describe text without the PROPOSAL word, zxids, session and cxid. */
export function txnBody(text: string): string {
  return text.replace(/^(PROPOSAL\s+)?((0x[0-9a-f]+|session=\S+|cxid=\S+)\s+)*/, '');
}

/** One txn's row: re-rendered only when its row object changes (the view model hands unchanged rows on as they are). */
const ZabRowView = memo(function ZabRowView({ r, sids }: { r: ZabRow; sids: readonly Sid[] }): React.JSX.Element {
  const d = (a: number | null, b: number): string => (a === null ? '…' : `+${a - b}`);
  return (
    <tr>
      <td className="mono">{hex(r.zxid)}</td>
      <td className="mono txn" title={readableDescribe(r.text)}>{readableDescribe(txnBody(r.text))}</td>
      <td className="mono nowrap">{[...r.acks].sort((a, b) => a - b).join(' ')}</td>
      <td>{r.quorumT !== null ? `✓ ${d(r.quorumT, r.proposedT)}` : '…'}</td>
      <td>{r.committedT !== null ? `✓ ${d(r.committedT, r.proposedT)}` : '…'}</td>
      <td className="mono nowrap">
        {sids.map((sid) => (
          <span key={sid} className={r.applied[sid] !== undefined ? 'on' : 'off'} title={r.applied[sid] !== undefined ? d(r.applied[sid], r.proposedT) : ''}>
            {r.applied[sid] !== undefined ? '●' : '○'}{sid}
          </span>
        ))}
      </td>
    </tr>
  );
});

/** The newest txns the table lists. */
export const zabRowsShown = 120;
/** rows rendered beyond the visible ones, above and below */
const overscan = 8;

/**
 * The rows of `count` (each `rowH` px, starting `top` px into the scroll content) that a
 * viewport scrolled to `scrollTop`, `height` px tall, shows, with `overscan` more each side.
 */
export function visibleRows(count: number, rowH: number, top: number, scrollTop: number, height: number): { first: number; last: number } {
  const first = Math.max(0, Math.min(count, Math.floor((scrollTop - top) / rowH) - overscan));
  const last = Math.max(first, Math.min(count, Math.ceil((scrollTop + height - top) / rowH) + overscan));
  return { first, last };
}

/**
 * The Zab broadcast table: the newest zabRowsShown txns, of which only the rows in the pane's
 * viewport (and a few more) are in the DOM, spacer rows standing in for the rest: under
 * saturating writes the whole table moves down a row per txn, and painting and laying out 120
 * rows every frame took the UI to 29 fps with this tab open (bench/README.md, fix 26).
 */
export function ZabView(): React.JSX.Element {
  const t = useT();
  // redrawn at most every historyRedrawMs, as the timeline (a change after a quiet spell at once)
  const zab = useThrottled(usePlayground((s) => s.vm.zab), historyRedrawMs);
  const sidsKey = usePlayground((s) => s.status.map((x) => x.sid).join(','));
  const sids = useMemo(() => (sidsKey === '' ? [] : sidsKey.split(',').map(Number)), [sidsKey]);
  const rows = [...zab].reverse().slice(0, zabRowsShown);
  const body = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState({ scrollTop: 0, height: 900, top: 0, rowH: 27 });
  const hasRows = rows.length > 0;
  useEffect(() => {
    const tbody = body.current;
    const pane = tbody?.closest('.pane');
    if (!tbody || !(pane instanceof HTMLElement)) return;
    const measure = (): void => {
      const row = tbody.querySelector('tr:not(.zab-spacer)');
      const rowH = row instanceof HTMLElement && row.offsetHeight > 0 ? row.offsetHeight : 27;
      const top = tbody.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      setView((v) => (v.scrollTop === pane.scrollTop && v.height === pane.clientHeight && v.top === top && v.rowH === rowH ? v : { scrollTop: pane.scrollTop, height: pane.clientHeight, top, rowH }));
    };
    return watchPane(pane, measure);
  }, [hasRows]);
  const { first, last } = visibleRows(rows.length, view.rowH, view.top, view.scrollTop, view.height);
  return (
    <div>
      <h2>{t('zab.title')}</h2>
      {rows.length === 0 ? <div className="empty">{t('zab.none')}</div> : (
        <table className="grid zab" data-testid="zab-table" data-rows={rows.length}>
          <thead>
            <tr><th>{t('zab.zxid')}</th><th>{t('zab.txn')}</th><th>{t('zab.acks')}</th><th>{t('zab.quorum')} (ms)</th><th>{t('zab.commit')} (ms)</th><th>{t('zab.applied')}</th></tr>
          </thead>
          <tbody ref={body}>
            {first > 0 && <tr className="zab-spacer" aria-hidden="true" style={{ height: first * view.rowH }}><td colSpan={6} /></tr>}
            {rows.slice(first, last).map((r) => <ZabRowView key={r.zxid.toString()} r={r} sids={sids} />)}
            {last < rows.length && <tr className="zab-spacer" aria-hidden="true" style={{ height: (rows.length - last) * view.rowH }}><td colSpan={6} /></tr>}
          </tbody>
        </table>
      )}
    </div>
  );
}
