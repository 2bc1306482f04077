// The browser playground (workers, conductor, React UI) is built on top of the engine in
// later milestones; until then this page only points to the headless zkCli (`npm start`).
const root = document.getElementById('root');
if (root) {
  root.innerHTML =
    '<main style="font:16px/1.5 system-ui;margin:3rem auto;max-width:40rem">' +
    '<h1>ZooKeeper Playground</h1>' +
    '<p>The engine and zkCli run headless today: <code>npm start</code> opens zkCli against a ' +
    'simulated ZooKeeper 3.8 server. The browser ensemble and its views are not built yet.</p></main>';
}
