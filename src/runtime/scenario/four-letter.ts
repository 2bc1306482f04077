/** Four-letter words against a simulated server (formatted by engine/fourlw when available). */
import type { Ensemble } from '../sim/ensemble.ts';

export function fourLetterWord(e: Ensemble, sid: number, word: string): string {
  const p = e.peers.get(sid);
  if (!p) return `(no answer: server ${sid} is down)`;
  if (word === 'ruok') return 'imok';
  const s = p.status();
  if (!s.serving) return 'This ZooKeeper instance is not currently serving requests\n';
  return `Mode: ${s.role === 'leading' ? 'leader' : s.role === 'following' ? 'follower' : 'observer'}\n`;
}
