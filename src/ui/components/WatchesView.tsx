import { hex } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import { usePlayground } from '../store/store.ts';
import type { WatchRow } from '../store/view-models.ts';

/** "data", "child", "persistent data", "persistent recursive child" (describeWatchKind's words) */
function watchKindLabel(w: WatchRow): string {
  if (w.table === null) return w.kindText || '—';
  const mode = w.mode === 'persistentRecursive' ? 'persistent recursive ' : w.mode === 'persistent' ? 'persistent ' : '';
  return `${mode}${w.table}`;
}

export function WatchesView(): React.JSX.Element {
  const t = useT();
  const watches = usePlayground((s) => s.vm.watches);
  const rows = [...watches].reverse().slice(0, 200);
  const color = { registered: 'var(--follower)', fired: 'var(--k-commit)', removed: 'var(--down)' } as const;
  return (
    <div>
      <h2>{t('w.title')}</h2>
      <p className="note">{t('w.oneTime')}</p>
      {rows.length === 0 ? <div className="empty">{t('w.none')}</div> : (
        <table className="grid" data-testid="watch-table">
          <thead><tr><th>{t('w.server')}</th><th>{t('w.session')}</th><th>{t('w.path')}</th><th>{t('w.kind')}</th><th>{t('w.state')}</th><th>{t('w.event')}</th></tr></thead>
          <tbody>
            {rows.map((w, i) => (
              <tr key={`${w.key}-${i}`} data-state={w.state}>
                <td>{w.sid}</td>
                <td className="mono">{hex(w.sessionId)}</td>
                <td className="mono">{w.path}</td>
                <td className="mono" title={w.kindText}>{watchKindLabel(w)}</td>
                <td><span className="pill" style={{ background: color[w.state] }}>{t(w.state === 'fired' ? 'w.fired' : w.state === 'removed' ? 'w.removed' : 'w.registered')}</span></td>
                <td className="mono">{w.fires > 1 ? `×${w.fires} ` : ''}{w.firedText ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
