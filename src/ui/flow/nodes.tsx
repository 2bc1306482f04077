import { Handle, Position, type NodeProps, type Node } from '@xyflow/react';
import { memo } from 'react';
import { hex } from '../../engine/protocol/ids.ts';
import { useT } from '../app/use-t.ts';
import { useServices } from '../app/services.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { usePlaygroundStable } from '../store/store.ts';
import type { ServerStatus } from '../../runtime/playground/api.ts';
import type { ClientNodeData, ServerNodeData } from './to-flow-graph.ts';

const center = { left: '50%', top: '50%', opacity: 0, pointerEvents: 'none' } as const;

export const roleColor: Record<string, string> = {
  leading: 'var(--leader)', following: 'var(--follower)', looking: 'var(--looking)', observing: 'var(--observer)', down: 'var(--down)',
};

/** What a server card shows of its status: it re-renders when one of these changes, not on every snapshot. */
type CardStatus = Pick<ServerStatus, 'sid' | 'role' | 'phase' | 'currentEpoch' | 'acceptedEpoch' | 'lastZxid' | 'vote' | 'znodeCount' | 'sessionCount'>;
const downCard = (sid: number): CardStatus => ({ sid, role: 'down', phase: null, currentEpoch: 0n, acceptedEpoch: 0n, lastZxid: 0n, vote: null, znodeCount: 0, sessionCount: 0 });
export function sameCard(a: CardStatus, b: CardStatus): boolean {
  return a.sid === b.sid && a.role === b.role && a.phase === b.phase && a.currentEpoch === b.currentEpoch && a.acceptedEpoch === b.acceptedEpoch && a.lastZxid === b.lastZxid
    && (a.vote === b.vote || (a.vote !== null && b.vote !== null && a.vote.leader === b.vote.leader && a.vote.round === b.vote.round))
    && a.znodeCount === b.znodeCount && a.sessionCount === b.sessionCount;
}

function ServerNodeImpl({ data }: NodeProps<Node<ServerNodeData>>): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const s = usePlaygroundStable((x): CardStatus => x.status.find((y) => y.sid === data.sid) ?? downCard(data.sid), sameCard);
  const down = s.role === 'down';
  const roleText = t(`role.${s.role}` as MessageKey);
  // compact cards (four servers or more) carry the button as an icon in the top row
  const button = down
    ? <button onClick={(e) => { e.stopPropagation(); services.runtime.restart(s.sid); }} data-testid={`restart-${s.sid}`} title={t('srv.restart')}>↻{data.compact ? '' : ` ${t('srv.restart')}`}</button>
    : <button className="danger" onClick={(e) => { e.stopPropagation(); services.runtime.kill(s.sid); }} data-testid={`kill-${s.sid}`} title={t('srv.kill')}>✕{data.compact ? '' : ` ${t('srv.kill')}`}</button>;
  const phase = s.phase && !down && s.phase !== 'broadcast' && s.role !== 'looking' ? ` · ${t(`phase.${s.phase}` as MessageKey)}` : '';
  // keyed by up/down: the card is a new element when its server goes down or comes back. Reused,
  // Chromium kept painting the old text in it (LEADER, its vote, a Kill button) while the DOM
  // said DOWN, no vote, Restart (seen in every kill screenshot; a forced layer did not help)
  return (
    <div key={down ? 'down' : 'up'} className={`srv ${data.compact ? 'compact' : ''} ${down ? 'down' : ''} ${data.selected ? 'selected' : ''} ${data.picked ? 'picked' : ''}`} style={{ borderColor: roleColor[s.role] }} data-testid={`server-${s.sid}`} data-role={s.role}>
      <Handle type="target" position={Position.Top} style={center} isConnectable={false} />
      <Handle type="source" position={Position.Top} style={center} isConnectable={false} />
      <div className="top">
        <span className="sid">{t('srv.server', { sid: s.sid })}</span>
        <span className="role" style={{ background: roleColor[s.role] }} title={`${roleText}${phase}`}>{roleText}{phase}</span>
        {data.compact && <span className="btns nodrag">{button}</span>}
      </div>
      <div className="rows">
        <span>{t('srv.epoch')}</span><span>{s.currentEpoch.toString()}{s.acceptedEpoch !== s.currentEpoch ? ` (acc ${s.acceptedEpoch})` : ''}</span>
        <span>{t('srv.lastZxid')}</span><span>{hex(s.lastZxid)}</span>
        <span>{t('srv.vote')}</span><span>{s.vote && !down ? `→ ${s.vote.leader} r${s.vote.round}` : t('srv.noVote')}</span>
        {/* a down card keeps the row (a dash): its height stays, so the view fitted to it still fits when it starts */}
        <span>{t('srv.znodes')}</span><span>{down ? t('misc.none') : `${s.znodeCount} · ${t('srv.sessions')} ${s.sessionCount}`}</span>
      </div>
      {data.differs && <div className="differs">⚠ {t('srv.treeDiffers')}</div>}
      {!data.compact && <div className="btns nodrag">{button}</div>}
    </div>
  );
}

function ClientNodeImpl({ data }: NodeProps<Node<ClientNodeData>>): React.JSX.Element {
  return (
    <div className="cli" title={data.state}>
      <Handle type="source" position={Position.Top} style={center} isConnectable={false} />
      <Handle type="target" position={Position.Top} style={center} isConnectable={false} />
      {data.name}
    </div>
  );
}

export const ServerNode = memo(ServerNodeImpl);
export const ClientNode = memo(ClientNodeImpl);
