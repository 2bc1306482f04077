import { describe, expect, it } from 'vitest';
import { InProcessSpawner } from '../../runtime/conductor/in-process.ts';
import { BrowserPlayground } from '../../runtime/playground/browser-playground.ts';
import { ConsoleRegistry } from './consoles.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const cs = '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183';

async function stepUntil(pg: BrowserPlayground, done: () => boolean): Promise<void> {
  for (let i = 0; i < 5000 && !done(); i++) {
    await new Promise((r) => setTimeout(r, 0));
    await pg.step();
  }
  expect(done()).toBe(true);
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('a console pane across a rewind', () => {
  // checkpointEvery 2: the rewind restores a checkpoint and replays the rest; 0: it replays the run from its start
  for (const checkpointEvery of [2, 0]) {
    it(`shows the transcript as of the point the run went back to, nothing twice (checkpoints every ${checkpointEvery} actions)`, async () => {
      const pg = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner(), checkpointEvery });
      await pg.start({ zooCfg, seed: 5, mode: 'lockstep' });
      await pg.runUntil(() => pg.leader() !== null, 20_000);
      const reg = new ConsoleRegistry(pg);
      const rec = reg.open(1, 'c1', cs);
      const text = (): string => reg.get(1)!.lines.map((l) => l.text).join('');
      await stepUntil(pg, () => text().includes('SyncConnected'));
      reg.submit(1, 'create /x one');
      await stepUntil(pg, () => text().includes('Created /x'));
      for (let i = 0; i < 20; i++) await pg.step();
      const at = pg.events().length - 1;
      const then = text();
      reg.submit(1, 'create /y two');
      await stepUntil(pg, () => text().includes('Created /y'));
      reg.submit(1, 'ls /');
      await stepUntil(pg, () => text().includes('[x, y, zookeeper]'));

      await reg.rewind(() => pg.rewind(at));
      expect(pg.lastRewind!.checkpointAt === null).toBe(checkpointEvery === 0);
      // what the run has done by then, once; what it no longer did, gone
      expect(text()).toBe(then);
      expect(count(text(), 'Created /x')).toBe(1);
      expect(count(text(), 'create /x one')).toBe(1);
      expect(text()).not.toContain('/y');
      expect(rec.history).toEqual(['create /x one', 'create /y two', 'ls /']); // the keys' history stays a person's

      // the run goes on from there: a new line forks it, printed once after the kept transcript
      reg.submit(1, 'ls /');
      await stepUntil(pg, () => text().includes('[x, zookeeper]'));
      expect(text().startsWith(then)).toBe(true);
      expect(count(text(), 'ls /')).toBe(1);
      expect(text()).not.toContain('/y');
      pg.shutdown();
    }, 120_000);
  }
});
