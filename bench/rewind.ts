/**
 * `npx tsx bench/rewind.ts [--steps 5000] [--rounds 3]`: how long a lockstep rewind takes, to an
 * early and to a late point of a long run, with checkpoints (restore + replay of the actions
 * after it) and without (replay of the whole action log from the start), in Node with
 * in-process servers (the browser figure: e2e/run-e2e.ts's late rewind, or the same with
 * workers). Also: what taking checkpoints costs the run itself, and a checkpoint's size.
 * Not a test: nothing asserts a time.
 */
import { serialize } from 'node:v8';
import { InProcessSpawner } from '../src/runtime/conductor/in-process.ts';
import { traceHash } from '../src/runtime/conductor/lockstep.ts';
import { BrowserPlayground } from '../src/runtime/playground/browser-playground.ts';
import type { RunRecord } from '../src/runtime/playground/api.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

function playground(checkpointEvery: number): BrowserPlayground {
  return new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner(), checkpointEvery });
}

/** A long run: a console writing every 250 steps, a leader killed and restarted midway. */
async function longRun(pg: BrowserPlayground, steps: number): Promise<void> {
  await pg.start({ zooCfg, seed: 21, mode: 'lockstep' });
  await pg.runUntil(() => pg.leader() !== null, 20_000);
  const c = pg.openConsole('a', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
  let killed: number | null = null;
  for (let i = 0; i < steps; i++) {
    if (i % 250 === 0) c.submit(`create /n${i} ${'x'.repeat(100)}`);
    if (i === Math.floor(steps / 3)) {
      killed = pg.leader();
      if (killed !== null) pg.kill(killed);
    }
    if (i === Math.floor(steps / 2) && killed !== null) pg.restart(killed);
    await new Promise((r) => setImmediate(r));
    await pg.step();
  }
  await c.idle();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const steps = arg('steps', 5000);
  const rounds = arg('rounds', 3);
  // the run itself, with and without checkpoints, alternated (the first run also warms the JIT)
  const runMs: Record<'cp' | 'none', number[]> = { cp: [], none: [] };
  let withCp = playground(100);
  let noCp = playground(0);
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 === 0 ? (['none', 'cp'] as const) : (['cp', 'none'] as const)) {
      const pg = playground(mode === 'cp' ? 100 : 0);
      const t = performance.now();
      await longRun(pg, steps);
      runMs[mode].push(performance.now() - t);
      if (mode === 'cp') withCp = pg;
      else noCp = pg;
    }
  }
  const runWithCpMs = median(runMs.cp);
  const runNoCpMs = median(runMs.none);
  const run: RunRecord = withCp.exportRun();
  const events = withCp.events().length;
  if (traceHash(noCp.events()) !== traceHash(withCp.events())) throw new Error('the two runs differ');
  const ls = (withCp as unknown as { lockstep: { checkpoints: { actions: number }[] } }).lockstep;
  const sizes = ls.checkpoints.map((cp) => serialize(cp).length);
  console.log(`run: ${steps} steps, ${run.actions.length} actions, ${events} events; ${ls.checkpoints.length} checkpoints kept, ${median(sizes)} bytes each (median, v8 serialized)`);
  console.log(`run time: ${runWithCpMs.toFixed(0)} ms with checkpoints every 100 actions, ${runNoCpMs.toFixed(0)} ms without`);
  for (const [label, at] of [['early (10%)', 0.1], ['late (90%)', 0.9]] as const) {
    const seq = Math.floor(events * at);
    const times: Record<string, number[]> = { full: [], cp: [] };
    let stats = '';
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['full', 'cp'] as const) {
        const pg = playground(mode === 'cp' ? 100 : 0);
        await pg.replay(run);
        const t = performance.now();
        await pg.rewind(seq);
        times[mode].push(performance.now() - t);
        if (mode === 'cp') stats = JSON.stringify(pg.lastRewind);
      }
    }
    console.log(`rewind ${label} to event ${seq}: full replay ${median(times.full).toFixed(0)} ms, checkpoint ${median(times.cp).toFixed(0)} ms (${stats})`);
  }
}

void main();
