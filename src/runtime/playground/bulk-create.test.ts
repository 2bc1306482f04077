import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from '../conductor/in-process.ts';
import { traceHash } from '../conductor/lockstep.ts';
import { BrowserPlayground } from './browser-playground.ts';
import { bulkName, bulkOptionsProblem } from './bulk-create.ts';
import { runFromJson, runToJson } from './run-record.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

async function started(): Promise<BrowserPlayground> {
  const pg = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
  await pg.start({ zooCfg, seed: 3, mode: 'lockstep' });
  await pg.runUntil(() => pg.leader() !== null, 20_000);
  return pg;
}

/** A console on server `sid`: runs `line` (stepping the run) and resolves with what it printed. */
async function read(pg: BrowserPlayground, sid: number, line: string, until: RegExp): Promise<string> {
  const c = pg.openConsole(`r${sid}x${reads++}`, `127.0.0.1:${2180 + sid}`);
  let out = '';
  c.onOutput((t) => {
    out += t;
  });
  c.submit(line);
  await stepUntil(pg, () => until.test(out));
  c.close();
  return out;
}
let reads = 0;

/** Steps a lockstep run (letting the job's microtasks run between steps) until `done()`. */
async function stepUntil(pg: BrowserPlayground, done: () => boolean, stepsMax = 20_000): Promise<void> {
  for (let i = 0; i < stepsMax && !done(); i++) {
    await new Promise((r) => setTimeout(r, 0));
    await pg.step();
  }
  expect(done()).toBe(true);
}

describe('bulkCreate: many znodes as multi requests through Zab', () => {
  it('creates every znode on every server, one proposal per multi, and replays to the same trace', async () => {
    const pg = await started();
    const job = pg.bulkCreate({ parent: '/bulk', count: 2500, batch: 1000, window: 2, connectString: '127.0.0.1:2182' });
    const seen: number[] = [];
    job.onProgress((p) => seen.push(p.created));
    await stepUntil(pg, () => job.progress().done);
    expect(job.progress()).toMatchObject({ count: 2500, created: 2500, multis: 3, done: true, cancelled: false, error: null });
    expect([...new Set(seen)].filter((n) => n > 0)).toEqual([1000, 2000, 2500]);
    // every server has them (a read on each; followers apply the last commit a little later)
    await stepUntil(pg, () => pg.status().every((s) => s.znodeCount === pg.status()[0].znodeCount && s.lastZxid === pg.status()[0].lastZxid), 2000);
    // the run replays to the same trace (before the reads below: a closed console is not an action)
    const events = pg.events().slice();
    const run = runFromJson(runToJson(pg.exportRun()));
    expect(run.actions.some((a) => a.action === 'bulk /bulk 2500 1000 2 127.0.0.1:2182')).toBe(true);
    const pg2 = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
    await pg2.replay(run);
    expect(traceHash(pg2.events())).toBe(traceHash(events));
    for (const sid of [1, 2, 3]) {
      expect(await read(pg, sid, 'stat /bulk', /numChildren = \d+/)).toMatch(/^numChildren = 2500$/m);
      const ls = await read(pg, sid, 'ls /bulk', /\]/);
      expect(ls).toContain(`[${bulkName(0)}, ${bulkName(1)}, `);
      expect(ls).toContain(`, ${bulkName(2499)}]`);
    }
    // three multi proposals (plus the parent's create), each one txn
    const proposals = pg.events().filter((e) => e.type === 'proposed' && e.text.includes('multi'));
    expect(new Set(proposals.map((e) => (e.type === 'proposed' ? e.zxid : 0n))).size).toBe(3);
    // their text lists 16 creates and counts the rest (not 1000 creates in every trace event)
    const text = proposals[0].type === 'proposed' ? proposals[0].text : '';
    expect(text).toContain(`create /bulk/${bulkName(15)} `);
    expect(text).not.toContain(`/bulk/${bulkName(16)} `);
    expect(text).toMatch(/; \.\.\. 984 more of 1000\]/);
    expect(text.length).toBeLessThan(3000);
  });

  it('a second bulk numbers on after the first; cancel stops after the multis in flight', async () => {
    const pg = await started();
    const a = pg.bulkCreate({ parent: '/b', count: 10, batch: 5, connectString: '127.0.0.1:2181' });
    await stepUntil(pg, () => a.progress().done);
    const b = pg.bulkCreate({ parent: '/b', count: 100, batch: 10, window: 1, connectString: '127.0.0.1:2181' });
    await stepUntil(pg, () => b.progress().created >= 20);
    b.cancel();
    await stepUntil(pg, () => b.progress().done);
    const p = b.progress();
    expect(p.cancelled).toBe(true);
    // the cancel is part of the run: a replay stops the job at the same point, and so does its export
    const run = pg.exportRun();
    expect(run.actions.filter((x) => x.action === 'bulkcancel').length).toBe(1);
    const pg2 = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
    await pg2.replay(run);
    expect(traceHash(pg2.events())).toBe(traceHash(pg.events()));
    expect(pg2.exportRun().actions.map((x) => x.action)).toEqual(run.actions.map((x) => x.action));
    expect(p.error).toBeNull();
    expect(p.created).toBeLessThan(100);
    const leader = pg.leader()!;
    expect(await read(pg, leader, 'stat /b', /numChildren = \d+/)).toContain(`numChildren = ${10 + p.created}\n`);
    expect(await read(pg, leader, 'ls /b', /\]/)).toContain(`${bulkName(9)}, ${bulkName(10)}, `);
  });

  it('a failed multi stops the job with the error and creates nothing of that batch', async () => {
    const pg = await started();
    const c = pg.openConsole('c1', '127.0.0.1:2181');
    c.submit('create /x');
    c.submit(`create /x/${bulkName(3)}`);
    await stepUntil(pg, () => c.prompt().includes(' 2]'));
    // /x has one child: numbering starts at 1, so n0000003 is taken in the first batch
    const job = pg.bulkCreate({ parent: '/x', count: 20, batch: 5, window: 1, connectString: '127.0.0.1:2181' });
    await stepUntil(pg, () => job.progress().done);
    expect(job.progress().error).toMatch(/NodeExists/);
    expect(job.progress().created).toBe(0);
    expect(await read(pg, pg.leader()!, 'ls /x', /\]/)).toContain(`[${bulkName(3)}]`);
  });

  it('bad options end the job at once, and nothing is sent', async () => {
    expect(bulkOptionsProblem({ parent: '/a', count: 0, connectString: 'x' })).toMatch(/count/);
    expect(bulkOptionsProblem({ parent: 'a', count: 1, connectString: 'x' })).toMatch(/parent/);
    expect(bulkOptionsProblem({ parent: '/a', count: 1, batch: 1e9, connectString: 'x' })).toMatch(/batch/);
    const pg = await started();
    const before = pg.events().length;
    const job = pg.bulkCreate({ parent: '/a/', count: 5, connectString: '127.0.0.1:2181' });
    const p = await job.done;
    expect(p.error).toMatch(/parent/);
    expect(pg.events().length).toBe(before);
  });
});
