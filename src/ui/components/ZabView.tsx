import { hex } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import { sameBy, usePlayground, usePlaygroundStable } from '../store/store.ts';
import { readableDescribe } from './data-format.ts';

/** The txn's operation: the describe text without the PROPOSAL word, zxids, session and cxid. */
export function txnBody(text: string): string {
  return text.replace(/^(PROPOSAL\s+)?((0x[0-9a-f]+|session=\S+|cxid=\S+)\s+)*/, '');
}

export function ZabView(): React.JSX.Element {
  const t = useT();
  const zab = usePlayground((s) => s.vm.zab);
  const status = usePlaygroundStable((s) => s.status, sameBy((x) => String(x.sid))); // the fields shown
  const rows = [...zab].reverse().slice(0, 120);
  const d = (a: number | null, b: number): string => (a === null ? '…' : `+${a - b}`);
  return (
    <div>
      <h2>{t('zab.title')}</h2>
      {rows.length === 0 ? <div className="empty">{t('zab.none')}</div> : (
        <table className="grid" data-testid="zab-table">
          <thead>
            <tr><th>{t('zab.zxid')}</th><th>{t('zab.txn')}</th><th>{t('zab.acks')}</th><th>{t('zab.quorum')} (ms)</th><th>{t('zab.commit')} (ms)</th><th>{t('zab.applied')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.zxid.toString()}>
                <td className="mono">{hex(r.zxid)}</td>
                <td className="mono" style={{ maxWidth: 200, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }} title={readableDescribe(r.text)}>{readableDescribe(txnBody(r.text))}</td>
                <td className="mono" style={{ whiteSpace: 'nowrap' }}>{[...r.acks].sort((a, b) => a - b).join(' ')}</td>
                <td>{r.quorumT !== null ? `✓ ${d(r.quorumT, r.proposedT)}` : '…'}</td>
                <td>{r.committedT !== null ? `✓ ${d(r.committedT, r.proposedT)}` : '…'}</td>
                <td className="mono" style={{ whiteSpace: 'nowrap' }}>
                  {status.map((s) => (
                    <span key={s.sid} style={{ marginRight: 6, color: r.applied[s.sid] !== undefined ? 'var(--ok)' : 'var(--muted)' }} title={r.applied[s.sid] !== undefined ? d(r.applied[s.sid], r.proposedT) : ''}>
                      {r.applied[s.sid] !== undefined ? '●' : '○'}{s.sid}
                    </span>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
