import { hex } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import type { Translate } from '../i18n/i18n.ts';
import { roleColor } from '../flow/nodes.tsx';
import type { MessageKey } from '../i18n/i18n.ts';
import { sameBy, usePlayground, usePlaygroundStable } from '../store/store.ts';
import { compareVotes, summarizeElection, voteTriple, winReason, type ElectionSummary } from '../store/view-models.ts';
import type { Vote } from '../../runtime/playground/api.ts';

export function whyText(t: Translate, a: Vote, b: Vote): string {
  const r = winReason(a, b);
  const vars = { a: voteTriple(a), b: voteTriple(b), ea: String(a.peerEpoch), eb: String(b.peerEpoch), za: hex(a.zxid), zb: hex(b.zxid), sa: a.leader, sb: b.leader };
  return t(`el.why.${r}` as MessageKey, vars);
}

function Card({ sum, role, voters, leader }: { sum: ElectionSummary & { recvRows: readonly { from: number; vote: Vote; state: string }[] }; role: string; voters: number; leader: number | null }): React.JSX.Element {
  const t = useT();
  const decided = role !== 'looking' && leader !== null;
  const need = Math.floor(voters / 2) + 1;
  const others = sum.best && compareVotes(sum.best.vote, sum.vote) !== 0 ? sum.best : null;
  return (
    <div className={`el-card ${sum.quorum || decided ? 'quorum' : ''}`} data-testid={`election-${sum.sid}`}>
      <h3>
        <span>{t('srv.server', { sid: sum.sid })}</span>
        <span className="pill" style={{ background: roleColor[role] }}>{t(`role.${role}` as MessageKey)}</span>
      </h3>
      {decided && <div className="prop"><b>{t('el.decided')}: {t('el.leaderIs', { leader: leader ?? '' })}</b></div>}
      <div className="prop">{t('el.round')} {sum.round} · {t('el.proposes')} <b>{sum.vote.leader}</b> {voteTriple(sum.vote)}</div>
      <table>
        <thead><tr><td>{t('el.from')}</td><td>{t('el.votesFor')}</td><td>{t('el.state')}</td></tr></thead>
        <tbody>
          {sum.recvRows.map((r) => (
            <tr key={r.from} className={r.vote.leader === sum.vote.leader ? 'agree' : ''}>
              <td>{r.from}</td><td style={{ whiteSpace: 'nowrap' }}>{voteTriple(r.vote)}</td><td>{r.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!decided && <div className="why">
        {sum.quorum
          ? t('el.quorum', { leader: sum.vote.leader, list: sum.supporters.join(', ') })
          : t('el.noQuorum', { n: sum.supporters.length, total: voters, leader: sum.vote.leader, need })}
      </div>}
      {!decided && <div className="why">{others ? whyText(t, compareVotes(others.vote, sum.vote) > 0 ? others.vote : sum.vote, compareVotes(others.vote, sum.vote) > 0 ? sum.vote : others.vote) : t('el.why.same')}</div>}
    </div>
  );
}

export function ElectionView(): React.JSX.Element {
  const t = useT();
  const election = usePlayground((s) => s.vm.election);
  // the fields the cards show: the status snapshots are new on every frame, these rarely change
  const status = usePlaygroundStable((s) => s.status, sameBy((x) => `${x.sid} ${x.role} ${x.leader} ${x.observer}`));
  const voters = status.filter((s) => !s.observer).length;
  const cards = status
    .filter((s) => election[s.sid] && s.role !== 'down')
    .map((s) => ({ sum: { ...summarizeElection(election[s.sid], voters), recvRows: election[s.sid].recv }, role: s.role, leader: s.leader }));
  return (
    <div>
      <h2>{t('el.title')}</h2>
      <p className="note">{t('el.order')}</p>
      {cards.length === 0 ? <div className="empty">{t('el.none')}</div> : (
        <div className="el-cards">
          {cards.map((c) => <Card key={c.sum.sid} sum={c.sum} role={c.role} voters={voters} leader={c.leader} />)}
        </div>
      )}
    </div>
  );
}
