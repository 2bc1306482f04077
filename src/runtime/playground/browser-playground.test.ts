import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { traceHash } from '../conductor/lockstep.ts';
import { BrowserPlayground } from './browser-playground.ts';
import { runFromHash, runFromJson, runToJson, shareHash } from './run-record.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

function playground(): BrowserPlayground {
  return new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
}

/** Steps until the console printed `text` (the way a person steps a lockstep run). */
async function stepUntil(pg: BrowserPlayground, out: () => string, text: string): Promise<void> {
  for (let i = 0; i < 5000 && !out().includes(text); i++) {
    await new Promise((r) => setTimeout(r, 0));
    await pg.step();
  }
  expect(out()).toContain(text);
}

describe('BrowserPlayground in lockstep (in-process servers)', () => {
  it('a console run replays, from its JSON and its share link, to the same trace; rewind gives a prefix', async () => {
    const pg = playground();
    await pg.start({ zooCfg, seed: 2, mode: 'lockstep' });
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    const c = pg.openConsole('c1', '127.0.0.1:2181');
    let out = '';
    c.onOutput((t) => {
      out += t;
    });
    c.submit('create /a one');
    await stepUntil(pg, () => out, 'Created /a');
    c.submit('set /a two');
    c.submit('get /a');
    await stepUntil(pg, () => out, 'two\n');
    pg.kill(pg.leader()!);
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    // the client lost its server for the election; once it is back, the write is there
    await stepUntil(pg, () => (out.split('SyncConnected').length > 2 ? 'back' : ''), 'back');
    c.submit('get /a');
    await stepUntil(pg, () => (out.split('two\n').length > 2 ? 'again' : ''), 'again');
    const events = pg.events().slice();
    // the session came back to a server after the election: "moved"
    expect(events.some((e) => e.type === 'session' && e.what === 'moved')).toBe(true);
    const run = runFromJson(runToJson(pg.exportRun()));
    expect(runFromHash(shareHash(run))).toEqual(run);

    const pg2 = playground();
    // the replay announces the console it opens and each line it types (the UI's panes)
    const seen: string[] = [];
    let replayedOut = '';
    pg2.onReplayConsole((e) => {
      if (e.type === 'line') {
        seen.push(`${e.name}> ${e.line}`);
        return;
      }
      seen.push(`open ${e.handle.name} ${e.connectString}`);
      e.handle.onOutput((t) => {
        replayedOut += t;
      });
    });
    await pg2.replay(run);
    expect(seen).toEqual(['open c1 127.0.0.1:2181', 'c1> create /a one', 'c1> set /a two', 'c1> get /a', 'c1> get /a']);
    expect(replayedOut).toBe(out);
    expect(pg2.events().length).toBe(events.length);
    expect(traceHash(pg2.events())).toBe(traceHash(events));

    const seq = Math.floor(events.length / 2);
    await pg.rewind(seq);
    const now = pg.events();
    expect(now.length).toBeLessThan(events.length);
    expect(traceHash(now)).toBe(traceHash(events.slice(0, now.length)));
  });

  it('closing a console is a recorded action: a run with a closed console replays to the same trace', async () => {
    const pg = playground();
    await pg.start({ zooCfg, seed: 3, mode: 'lockstep' });
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    const c = pg.openConsole('c1', '127.0.0.1:2181');
    let out = '';
    c.onOutput((t) => {
      out += t;
    });
    c.submit('create -e /e one');
    await stepUntil(pg, () => out, 'Created /e');
    c.close();
    c.close(); // a second close is a no-op, recorded once
    // the closeSession goes through the ensemble and the ephemeral goes with it
    await pg.runUntil(() => pg.events().some((e) => e.type === 'session' && e.what === 'closed'), 2000);
    for (let i = 0; i < 20; i++) await pg.step();
    const events = pg.events().slice();
    const run = runFromJson(runToJson(pg.exportRun()));
    expect(run.actions.filter((a) => a.action === 'close c1')).toHaveLength(1);

    const pg2 = playground();
    await pg2.replay(run);
    expect(pg2.events().length).toBe(events.length);
    expect(traceHash(pg2.events())).toBe(traceHash(events));
    // the replayed run records the close where the original did (a later rewind or export needs it)
    const steps = (r: typeof run): string[] => r.actions.map((a) => a.action).filter((a) => !a.startsWith('client ') && !a.startsWith('c1> '));
    expect(steps(pg2.exportRun())).toEqual(steps(run));
    expect(await pg2.znode(pg2.leader()!, '/e')).toBeNull();

    // a console reopened under the same name survives a rewind that replays the close
    const again = pg.openConsole('c1', '127.0.0.1:2181');
    let out2 = '';
    again.onOutput((t) => {
      out2 += t;
    });
    again.submit('create /f two');
    await stepUntil(pg, () => out2, 'Created /f');
    await pg.rewind(pg.events().length - 1);
    out2 = '';
    again.submit('get /f');
    await stepUntil(pg, () => out2, 'two\n');
  });

  it('watch events carry the session id of the client that set the watch, on a follower as on the leader', async () => {
    const pg = playground();
    await pg.start({ zooCfg, seed: 4, mode: 'lockstep' });
    await pg.runUntil(() => pg.leader() !== null, 20_000);
    const leader = pg.leader()!;
    const follower = leader === 1 ? 2 : 1;
    const consoles = [leader, follower].map((sid) => {
      const c = pg.openConsole(`c${sid}`, `127.0.0.1:${2180 + sid}`);
      let out = '';
      c.onOutput((t) => {
        out += t;
      });
      return { sid, c, out: () => out };
    });
    consoles[0].c.submit('create /w x');
    await stepUntil(pg, consoles[0].out, 'Created /w');
    for (const { c, out } of consoles) {
      c.submit('get -w /w');
      await stepUntil(pg, out, 'x\n');
    }
    consoles[0].c.submit('set /w y');
    for (const { out } of consoles) await stepUntil(pg, out, 'NodeDataChanged');
    const watchEvents = pg.events().filter((e) => e.type === 'watch');
    for (const { sid, c } of consoles) {
      const sessionId = c.connection().sessionId;
      expect(sessionId).not.toBe(0n);
      const mine = watchEvents.filter((e) => e.type === 'watch' && e.sid === sid);
      expect(mine.map((e) => (e.type === 'watch' ? `${e.what} ${e.path} ${e.sessionId === sessionId}` : ''))).toEqual(['registered /w true', 'fired /w true']);
    }
  });
});
