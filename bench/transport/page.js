// The transport page: two module workers joined by a MessageChannel made on the main thread
// (as the playground's mesh is). window.__transport(params) runs the suite in worker A.
function startWorker(role, port, params) {
  const w = new Worker(new URL('./browser-worker.js', import.meta.url), { type: 'module' });
  const done = new Promise((resolve, reject) => {
    w.onmessage = (e) => (e.data.ok ? resolve(e.data.result) : reject(new Error(e.data.error)));
    w.onerror = (e) => reject(new Error(e.message));
  });
  w.postMessage({ role, port, params }, [port]);
  return { w, done };
}

window.__transport = async (params) => {
  const ch = new MessageChannel();
  const b = startWorker('B', ch.port2, params);
  await b.done;
  const a = startWorker('A', ch.port1, params);
  const result = await a.done;
  a.w.terminate();
  b.w.terminate();
  document.getElementById('out').textContent = JSON.stringify(result, null, 2);
  return { result, isolated: self.crossOriginIsolated };
};
window.__transportReady = true;
