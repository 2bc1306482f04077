import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { BrowserPlayground } from './browser-playground.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

describe("a server's vote in its status", () => {
  it('is the leader it follows once decided, also when it joined an established leader without voting for it', async () => {
    const pg = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner(), checkpointEvery: 0 });
    await pg.start({ zooCfg, seed: 3, mode: 'lockstep' });
    await pg.runUntil(() => pg.leader() !== null && pg.status().every((s) => s.phase === 'broadcast'), 30_000);
    const leader = pg.leader()!;
    for (const s of pg.status()) expect(s.vote?.leader).toBe(leader);
    // a follower restarted: LOOKING with its own vote, it learns the leader from the others' answers
    const f = pg.status().find((s) => s.role === 'following')!.sid;
    pg.kill(f);
    await pg.runUntil(() => pg.status().find((s) => s.sid === f)!.role === 'down', 10_000);
    pg.restart(f);
    await pg.runUntil(() => pg.status().find((s) => s.sid === f)!.phase === 'broadcast', 30_000);
    const st = pg.status().find((s) => s.sid === f)!;
    expect(st.role).toBe('following');
    expect(st.vote?.leader).toBe(leader);
    expect(st.vote?.peerEpoch).toBe(st.currentEpoch);
    pg.shutdown();
  }, 60_000);
});
