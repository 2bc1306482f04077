import { memo, useMemo } from 'react';
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import { usePlayground } from '../store/store.ts';
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

export function ZabView(): React.JSX.Element {
  const t = useT();
  const zab = usePlayground((s) => s.vm.zab);
  const sidsKey = usePlayground((s) => s.status.map((x) => x.sid).join(','));
  const sids = useMemo(() => (sidsKey === '' ? [] : sidsKey.split(',').map(Number)), [sidsKey]);
  const rows = [...zab].reverse().slice(0, 120);
  return (
    <div>
      <h2>{t('zab.title')}</h2>
      {rows.length === 0 ? <div className="empty">{t('zab.none')}</div> : (
        <table className="grid zab" data-testid="zab-table">
          <thead>
            <tr><th>{t('zab.zxid')}</th><th>{t('zab.txn')}</th><th>{t('zab.acks')}</th><th>{t('zab.quorum')} (ms)</th><th>{t('zab.commit')} (ms)</th><th>{t('zab.applied')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => <ZabRowView key={r.zxid.toString()} r={r} sids={sids} />)}
          </tbody>
        </table>
      )}
    </div>
  );
}
