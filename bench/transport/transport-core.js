// The transport ceiling, shared by the Chromium page (Web Workers) and Node (worker_threads):
// two workers joined by a MessageChannel. Worker A drives, worker B echoes or counts.
// Plain JS with no imports so the browser can load it without a build step.
//
// A `port` here is { post(msg), on(handler) }; the adapters wrap MessagePort of either host.

/** A message shaped like a Zab proposal (~120 bytes when cloned); bigint as real zxids are. */
export function sampleMessage(i) {
  return { type: 'Proposal', from: 1, to: 2, zxid: 0x100000000n + BigInt(i), text: `create /bench/n${i} ${'x'.repeat(56)}` };
}

function nowMs() {
  return performance.now();
}

/** Worker B: echo pings, count one-way data and report when the expected count arrived. */
export function serveB(port) {
  let expect = 0;
  let count = 0;
  port.on((m) => {
    if (m.k === 'ping') port.post({ k: 'pong', i: m.i });
    else if (m.k === 'begin') {
      expect = m.n;
      count = 0;
      port.post({ k: 'ready' });
    } else if (m.k === 'one') {
      if (++count === expect) port.post({ k: 'done' });
    } else if (m.k === 'batch') {
      count += m.msgs.length;
      if (count === expect) port.post({ k: 'done' });
    }
  });
}

/** Worker A: runs one command against B and resolves with its samples. */
export function makeDriver(port) {
  let waiter = null;
  port.on((m) => {
    const w = waiter;
    waiter = null;
    if (w) w(m);
  });
  const next = () => new Promise((resolve) => { waiter = resolve; });

  async function rtt(n, warmup) {
    const samples = [];
    for (let i = 0; i < n + warmup; i++) {
      const t = nowMs();
      const reply = next();
      port.post({ k: 'ping', i, m: sampleMessage(i) });
      await reply;
      if (i >= warmup) samples.push((nowMs() - t) * 1000);
    }
    return samples; // microseconds
  }

  async function oneway(n, batch) {
    let reply = next();
    port.post({ k: 'begin', n });
    await reply;
    reply = next();
    const t = nowMs();
    if (batch <= 1) {
      for (let i = 0; i < n; i++) port.post({ k: 'one', m: sampleMessage(i) });
    } else {
      for (let i = 0; i < n; i += batch) {
        const msgs = [];
        for (let j = i; j < Math.min(n, i + batch); j++) msgs.push(sampleMessage(j));
        port.post({ k: 'batch', msgs });
      }
    }
    await reply;
    return (n * 1000) / (nowMs() - t); // messages per second
  }

  function cloneCost(n) {
    const m = sampleMessage(1);
    const t = nowMs();
    for (let i = 0; i < n; i++) structuredClone(m);
    return ((nowMs() - t) * 1000) / n; // microseconds per clone
  }

  return { rtt, oneway, cloneCost };
}

/** The whole suite, run from worker A; `params` sizes it; returns plain numbers. */
export async function runSuite(driver, params) {
  const out = { rttMedianUs: [], rttP99Us: [], singleMsgsPerSec: [], batchedMsgsPerSec: [], cloneUs: [] };
  for (let r = 0; r < params.rounds; r++) {
    const s = await driver.rtt(params.rttCount, params.rttWarmup);
    s.sort((a, b) => a - b);
    out.rttMedianUs.push(s[Math.floor(s.length / 2)]);
    out.rttP99Us.push(s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)]);
    out.singleMsgsPerSec.push(await driver.oneway(params.singleCount, 1));
    out.batchedMsgsPerSec.push(await driver.oneway(params.batchedCount, params.batch));
    out.cloneUs.push(driver.cloneCost(20000));
  }
  return out;
}
