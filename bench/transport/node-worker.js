// A worker_threads worker of the Node transport bench: same roles as browser-worker.js.
import { parentPort } from 'node:worker_threads';
import { makeDriver, runSuite, serveB } from './transport-core.js';

parentPort.once('message', async ({ role, port, params }) => {
  const wrapped = { post: (m) => port.postMessage(m), on: (h) => port.on('message', h) };
  if (role === 'B') {
    serveB(wrapped);
    parentPort.postMessage({ ok: true });
    return;
  }
  try {
    const result = await runSuite(makeDriver(wrapped), params);
    parentPort.postMessage({ ok: true, result });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.stack ? err.stack : err) });
  }
  port.close();
});
