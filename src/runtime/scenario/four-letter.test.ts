/**
 * Four-letter words against live simulated servers, checked against what the real ZooKeeper
 * 3.8.0 standalone server answered on this machine to the same sequence of words (default
 * whitelist: only srvr): each known word counts a packet received, each answer a packet sent.
 */
import { describe, expect, it } from 'vitest';
import { Ensemble } from '../sim/ensemble.ts';
import { fourLetterPortBase, fourLetterWord, type FourLetterHost } from './four-letter.ts';
import { planGenerated, planZooCfg, type ClusterPlan } from './scenario-config.ts';

const version = 'Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC\n';

function host(plan: ClusterPlan): FourLetterHost {
  const voters = plan.members.filter((m) => !m.observer).length;
  const { sid: _sid, ...serverConfig } = plan.servers[0].serverConfig;
  const e = new Ensemble({
    servers: voters, observers: plan.members.length - voters, seed: 1, members: plan.members, standalone: plan.standalone,
    tickTime: plan.servers[0].cfg.tickTime, serverConfig, ...(plan.standalone ? {} : { configText: plan.configText }),
  });
  for (const sid of e.sids) e.start(sid);
  e.run(5000);
  return { ensemble: e, plan: (sid) => plan.servers.find((s) => s.sid === sid)!, nextPort: fourLetterPortBase };
}

function planOf(r: ReturnType<typeof planZooCfg>): ClusterPlan {
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.plan;
}

describe('four-letter words on a live standalone server', () => {
  const standalone = (): FourLetterHost => host(planOf(planZooCfg('tickTime=2000\ndataDir=/tmp/h1-zk/sa/data\nclientPort=2291\n')));

  it('answers as the real 3.8.0 server did: ruok refused, then srvr counts both words', () => {
    const h = standalone();
    expect(fourLetterWord(h, 1, 'ruok')).toBe('ruok is not executed because it is not in the whitelist.\n');
    expect(fourLetterWord(h, 1, 'srvr')).toBe(
      version + 'Latency min/avg/max: 0/0.0/0\nReceived: 2\nSent: 1\nConnections: 1\nOutstanding: 0\nZxid: 0x0\nMode: standalone\nNode count: 5\n',
    );
    for (const w of ['stat', 'isro', 'envi']) fourLetterWord(h, 1, w);
    expect(fourLetterWord(h, 1, 'srvr')).toContain('Received: 6\nSent: 5\n');
    // not a four-letter word: ZooKeeper reads a packet length, answers nothing and counts nothing
    expect(fourLetterWord(h, 1, 'xyzw')).toBe('');
    expect(fourLetterWord(h, 1, 'srvr')).toContain('Received: 7\nSent: 6\n');
  });

  it('a dead server refuses the connection', () => {
    const h = standalone();
    h.ensemble.kill(1);
    expect(fourLetterWord(h, 1, 'srvr')).toBe('(connection refused: nothing listens on 127.0.0.1:2291)\n');
  });
});

describe('four-letter words on a live ensemble', () => {
  it('reports each role, and "not currently serving" without a quorum', () => {
    const h = host(planOf(planGenerated(3, 1, [['4lw.commands.whitelist', '*']])));
    const modes = [1, 2, 3, 4].map((sid) => /Mode: (\w+)/.exec(fourLetterWord(h, sid, 'srvr'))?.[1]);
    expect(modes.filter((m) => m === 'leader')).toHaveLength(1);
    expect(modes.filter((m) => m === 'follower')).toHaveLength(2);
    expect(modes[3]).toBe('observer');
    const leader = modes.indexOf('leader') + 1;
    const follower = modes.indexOf('follower') + 1;
    expect(fourLetterWord(h, leader, 'mntr')).toContain('zk_server_state\tleader\nzk_peer_state\tleading - broadcast\n');
    expect(fourLetterWord(h, follower, 'mntr')).toContain('zk_server_state\tfollower\nzk_peer_state\tfollowing - broadcast\n');
    expect(fourLetterWord(h, 4, 'mntr')).toContain('zk_server_state\tobserver\nzk_peer_state\tobserving - broadcast\n');
    expect(fourLetterWord(h, leader, 'mntr')).toContain('zk_learners\t3\n');
    expect(fourLetterWord(h, leader, 'conf')).toContain(`serverId=${leader}\ninitLimit=10\nsyncLimit=5\nelectionAlg=3\n`);
    for (const sid of [1, 2, 3]) if (sid !== leader) h.ensemble.kill(sid);
    h.ensemble.run(15_000);
    expect(fourLetterWord(h, leader, 'srvr')).toBe('This ZooKeeper instance is not currently serving requests\n');
    expect(fourLetterWord(h, leader, 'ruok')).toBe('imok');
  });
});
