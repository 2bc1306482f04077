// A Web Worker of the transport page: role 'A' drives the suite, role 'B' serves.
import { makeDriver, runSuite, serveB } from './transport-core.js';

self.onmessage = async (e) => {
  const { role, port, params } = e.data;
  const wrapped = { post: (m) => port.postMessage(m), on: (h) => { port.onmessage = (ev) => h(ev.data); } };
  if (role === 'B') {
    serveB(wrapped);
    self.postMessage({ ok: true });
    return;
  }
  try {
    const result = await runSuite(makeDriver(wrapped), params);
    self.postMessage({ ok: true, result });
  } catch (err) {
    self.postMessage({ ok: false, error: String(err && err.stack ? err.stack : err) });
  }
};
