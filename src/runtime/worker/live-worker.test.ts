import { describe, expect, it } from 'vitest';
import { LiveWorker, outputBatchEvents, outputBatchMs, type LiveWorkerEnv, type PortLike } from './live-worker.ts';
import type { FromWorkerBody } from './protocol.ts';
import { decodeTrace } from './trace-codec.ts';
import { downStatus, type HostEvent, type HostOutput, type ServerHost } from './server-host.ts';

/** A host that logs `perCall` events per handle() (what the loop does with them is under test, not the host). */
function stubHost(perCall: () => number): ServerHost {
  let n = 0;
  const output = (): HostOutput => ({
    sent: [],
    events: Array.from({ length: perCall() }, (): HostEvent => ({ type: 'log', sid: 1, text: `event ${n++}`, t: 0 })),
    status: downStatus(1, false),
    nextDeadline: Number.POSITIVE_INFINITY,
    flushPending: false,
  });
  return { handle: output, flush: output, output, status: () => downStatus(1, false) } as unknown as ServerHost;
}

function setup(perCall: () => number, withTimer: boolean) {
  const posts: FromWorkerBody[] = [];
  const tasks: (() => void)[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const env: LiveWorkerEnv = {
    post: (m) => void posts.push(m),
    wallNow: () => 0,
    task: (fn) => void tasks.push(fn),
    ...(withTimer ? { later: (fn: () => void, ms: number) => void timers.push({ fn, ms }) } : {}),
  };
  const port: PortLike = { postMessage: () => undefined, onmessage: null, close: () => undefined };
  const w = new LiveWorker(stubHost(perCall), { virtualOrigin: 0, wallOrigin: 0, speed: 1, paused: false }, 0, port, env);
  /** the events of every output posted so far, in order */
  const posted = (): string[] => posts.flatMap((m) => {
    if (m.type !== 'output') return [];
    const events: HostEvent[] = [...m.output.events];
    if (m.trace) decodeTrace(m.trace, events);
    return events.map((e) => (e.type === 'log' ? e.text : e.type));
  });
  const runTasks = (): void => {
    while (tasks.length > 0) tasks.shift()!();
  };
  return { w, posts, tasks, timers, posted, runTasks };
}

describe('LiveWorker: the trace goes to the main thread in batches', () => {
  it('small outputs wait for one timer and go in one message, in order', () => {
    const s = setup(() => 2, true);
    for (let i = 0; i < 5; i++) s.w.liveHandle([{ type: 'tick' }]);
    s.runTasks();
    expect(s.posts).toHaveLength(0); // nothing posted from a task: the timer carries it
    expect(s.timers).toHaveLength(1);
    expect(s.timers[0].ms).toBe(outputBatchMs);
    s.timers.shift()!.fn();
    expect(s.posts).toHaveLength(1);
    expect(s.posted()).toEqual(Array.from({ length: 10 }, (_, i) => `event ${i}`));
    // the next batch sets a timer of its own
    s.w.liveHandle([{ type: 'tick' }]);
    expect(s.timers).toHaveLength(1);
    s.timers.shift()!.fn();
    expect(s.posted()).toEqual(Array.from({ length: 12 }, (_, i) => `event ${i}`));
  });

  it('a big batch goes from a task at once; the timer then finds nothing to post', () => {
    const s = setup(() => outputBatchEvents, true);
    s.w.liveHandle([{ type: 'tick' }]);
    expect(s.timers).toHaveLength(0);
    s.runTasks();
    expect(s.posts).toHaveLength(1);
    expect(s.posted()).toHaveLength(outputBatchEvents);
  });

  it('a timer set by a small batch posts what came after a big one, never twice', () => {
    let per = 1;
    const s = setup(() => per, true);
    s.w.liveHandle([{ type: 'tick' }]); // 1 event: a timer
    per = outputBatchEvents;
    s.w.liveHandle([{ type: 'tick' }]); // past the threshold: a task as well
    s.runTasks();
    expect(s.posts).toHaveLength(1);
    per = 1;
    s.w.liveHandle([{ type: 'tick' }]); // the pending timer carries this one
    expect(s.timers).toHaveLength(1);
    s.timers.shift()!.fn();
    expect(s.posts).toHaveLength(2);
    expect(s.posted()).toHaveLength(outputBatchEvents + 2);
    expect(new Set(s.posted()).size).toBe(outputBatchEvents + 2);
  });

  it('without a timer (Node tests, in-process) every row of tasks posts from a task', () => {
    const s = setup(() => 2, false);
    s.w.liveHandle([{ type: 'tick' }]);
    s.w.liveHandle([{ type: 'tick' }]);
    s.runTasks();
    expect(s.posts).toHaveLength(1);
    expect(s.posted()).toHaveLength(4);
  });

  it('a kill posts what waits, final, and the timer then posts nothing', () => {
    const s = setup(() => 3, true);
    s.w.liveHandle([{ type: 'tick' }]);
    s.w.kill();
    expect(s.posts).toHaveLength(1);
    expect(s.posts[0].type === 'output' && s.posts[0].final).toBe(true);
    for (const t of s.timers) t.fn();
    s.runTasks();
    expect(s.posts).toHaveLength(1);
    expect(s.posted()).toHaveLength(3);
  });
});
