/**
 * How big a live run's exact record is, and how long its replay takes: a live run of
 * in-process workers (the live worker loop of the browser, conductor/in-process-live.ts) at 10×
 * speed for VIRTUAL_S virtual seconds, a console writing every few seconds, the leader killed
 * and restarted; then its JSON, its share link (lz-string), and a replay in-process, checked.
 *
 *   npx tsx bench/live-replay-size.ts [virtual seconds = 120] [seed = 1]
 */
import { Rng } from '../src/engine/util/rng.ts';
import { InProcessSpawner } from '../src/runtime/conductor/in-process.ts';
import { inProcessLiveWorkers } from '../src/runtime/conductor/in-process-live.ts';
import { BrowserPlayground } from '../src/runtime/playground/browser-playground.ts';
import { runFromJson, runToJson, shareHash } from '../src/runtime/playground/run-record.ts';

const virtualS = Number(process.argv[2] ?? 120);
const seed = Number(process.argv[3] ?? 1);
const speed = 10;
const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const rng = new Rng(seed);
const pg = new BrowserPlayground({ liveWorkers: inProcessLiveWorkers(() => rng.next()) });
await pg.start({ zooCfg, seed, mode: 'live' });
pg.setSpeed(speed);
const c = pg.openConsole('c1', '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183');
const t0 = pg.now();
let i = 0;
let killed: number | null = null;
while (pg.now() - t0 < virtualS * 1000) {
  const at = (pg.now() - t0) / 1000;
  if (killed === null && at > virtualS * 0.4 && pg.leader() !== null) {
    killed = pg.leader()!;
    pg.kill(killed);
  } else if (killed !== null && at > virtualS * 0.6 && i % 2 === 0) {
    pg.restart(killed);
  }
  c.submit(i % 3 === 0 ? `create /n${i} value-${i}` : i % 3 === 1 ? `set /n${i - 1} v${i}` : 'ls /');
  i++;
  await sleep((5000 / speed) * (0.5 + rng.next()));
}
const e0 = performance.now();
const record = await pg.exportRunExact();
const exportMs = performance.now() - e0;
pg.shutdown();
if (!record.live) throw new Error(`not exact: ${record.inexact}`);
const json = runToJson(record);
const link = shareHash(record);
const numbers = record.live.main.length + record.live.servers.reduce((n, s) => n + s.steps.length + s.firsts.length, 0);
console.log(`live run: ${virtualS} s virtual at ${speed}×, ${record.live.actions.length} actions (${i} console lines, leader ${killed ?? '-'} killed and restarted), ${record.live.servers.length} incarnations, ${record.live.events} trace events`);
console.log(`record: ${numbers} schedule numbers, JSON ${json.length} chars, share link ${link.length} chars; export ${exportMs.toFixed(0)} ms`);
const r0 = performance.now();
const again = new BrowserPlayground({ lockstepSpawner: () => new InProcessSpawner() });
await again.replay(runFromJson(json));
console.log(`replay in-process: ${(performance.now() - r0).toFixed(0)} ms, ${JSON.stringify(again.replayCheck())}`);
again.shutdown();
process.exit(0);
