/**
 * What recording a live run for exact replay costs under pipelined writes: the live worker loop
 * in-process (every worker and the main thread on this one thread, no delays), OPS pipelined
 * creates then setData through a follower, with the schedule recorders (ScheduleRecorder.step,
 * MainRecorder.step) and the trace-stream hashing (StreamHash.event) timed. The A/B in Chromium
 * (bench/browser/ensemble-ab.ts) is the end-to-end figure; on a loaded machine its noise
 * (±20 %) hides a few %, this one does not.
 *
 *   npx tsx bench/live-replay-overhead.ts [ops = 20000]
 */
import { InProcessSpawner } from '../src/runtime/conductor/in-process.ts';
import { inProcessLiveWorkers } from '../src/runtime/conductor/in-process-live.ts';
import { BrowserPlayground } from '../src/runtime/playground/browser-playground.ts';
import { MainRecorder, ScheduleRecorder, StreamHash } from '../src/runtime/worker/live-schedule.ts';

const ops = Number(process.argv[2] ?? 20_000);
const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';

const rounds = Number(process.argv[3] ?? 3);
const origStep = ScheduleRecorder.prototype.step;
const origMain = MainRecorder.prototype.step;
const origEvent = StreamHash.prototype.event;
const noop = (): void => {};

/** One live run of 2 × ops pipelined writes; recording on or off; its CPU ms per 1000 writes. */
async function run(recording: boolean): Promise<{ cpuPerK: number; wallPerK: number; events: number }> {
  ScheduleRecorder.prototype.step = recording ? origStep : noop;
  MainRecorder.prototype.step = recording ? origMain : noop;
  let events = 0;
  StreamHash.prototype.event = recording ? function (this: StreamHash, e: object, t: number): void {
    events++;
    origEvent.call(this, e, t);
  } : noop;
  const pg = new BrowserPlayground({ liveWorkers: inProcessLiveWorkers(() => 0), lockstepSpawner: () => new InProcessSpawner() });
  await pg.start({ zooCfg, seed: 1, mode: 'live' });
  while (pg.leader() === null) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 300));
  const follower = pg.leader() === 1 ? 2 : 1;
  const c = await pg.bench.client(`127.0.0.1:${2180 + follower}`);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (const kind of ['create', 'setData'] as const) {
    const results = await Promise.all(Array.from({ length: ops }, (_, i) => c.call({ type: kind, path: `/b${i}`, dataBytes: 100 })));
    const bad = results.filter((x) => x !== 'ok').length;
    if (bad > 0) throw new Error(`${bad} of ${ops} ${kind} failed: ${String(results.find((x) => x !== 'ok'))}`);
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  c.close();
  pg.shutdown();
  return { cpuPerK: (cpuMs * 1000) / (2 * ops), wallPerK: (wall * 1000) / (2 * ops), events };
}

const off: number[] = [];
const on: number[] = [];
for (let r = 0; r < rounds; r++) {
  // alternating which goes first (the second of a pair pays the first's garbage)
  for (const recording of r % 2 === 0 ? [false, true] : [true, false]) {
    const x = await run(recording);
    (recording ? on : off).push(x.cpuPerK);
    console.log(`round ${r + 1} recording ${recording ? 'on ' : 'off'}: ${x.cpuPerK.toFixed(0)} ms CPU and ${x.wallPerK.toFixed(0)} ms wall per 1000 writes${recording ? ` (${x.events} events hashed)` : ''}`);
  }
}
const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`median CPU per 1000 writes: off ${med(off).toFixed(0)} ms, on ${med(on).toFixed(0)} ms: ${((100 * (med(on) - med(off))) / med(off)).toFixed(1)} %`);
process.exit(0);
