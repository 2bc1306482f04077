/**
 * The runtime test page (built by Vite as a second entry, /e2e/runtime.html): the browser
 * runtime without the React UI, exposed as `window.__playground` for the Playwright tests, with
 * a plain view of the servers, a console and the trace for the screenshots.
 */
import { hex } from '../src/engine/protocol/ids.ts';
import type { PlaygroundEvent, ServerStatus } from '../src/runtime/playground/api.ts';
import { BrowserPlayground } from '../src/runtime/playground/browser-playground.ts';
import { runFromHash, runFromJson, runToJson, shareHash } from '../src/runtime/playground/run-record.ts';
import { proofOptions, runProof } from '../src/runtime/conductor/proof-run.ts';
import { traceHash } from '../src/runtime/conductor/lockstep.ts';
import { WorkerSpawner } from '../src/runtime/worker/spawn.ts';

const runtime = new BrowserPlayground();
/** the last events the log shows (their lines are made when it is drawn: under pipelined writes a line per event was a tenth of the page's allocation in the bench) */
const shown: PlaygroundEvent[] = [];
const shownLines = 40;
let consoleText = '';
let consoleQueued = false;

function render(status: readonly ServerStatus[]): void {
  const rows = status.map((s) => `<tr class="${s.role}"><td>server.${s.sid}</td><td>${s.role}</td><td>${s.phase ?? ''}</td><td>${s.currentEpoch}</td><td>${hex(s.lastZxid)}</td><td>${hex(s.committedZxid)}</td><td>${s.znodeCount}</td><td>${s.sessionCount}</td><td>${s.treeDigest}</td></tr>`);
  document.getElementById('servers')!.innerHTML = '<tr><th>server</th><th>role</th><th>phase</th><th>epoch</th><th>lastZxid</th><th>applied</th><th>znodes</th><th>sessions</th><th>tree digest</th></tr>' + rows.join('');
  const leader = status.find((s) => s.role === 'leading');
  document.getElementById('summary')!.textContent = `mode ${runtime.mode() ?? '-'} · leader ${leader ? `server.${leader.sid} (epoch ${leader.currentEpoch})` : 'none'} · ${runtime.events().length} trace events`;
  document.getElementById('log')!.textContent = shown.slice(-shownLines).map(line).join('\n');
}

function logged(e: PlaygroundEvent): boolean {
  return e.type === 'messageSent' || e.type === 'roleChanged' || e.type === 'fault' || e.type === 'applied';
}

function line(e: PlaygroundEvent): string | null {
  switch (e.type) {
    case 'messageSent': return `${e.from} -> ${e.to} ${e.text}`;
    case 'roleChanged': return `server.${e.sid} ${e.role} ${e.phase ?? ''} epoch ${e.epoch}`;
    case 'fault': return `FAULT ${e.text}`;
    case 'applied': return `server.${e.sid} applied ${e.text}`;
    default: return null;
  }
}

runtime.subscribe((events, status) => {
  for (const e of events) if (logged(e)) shown.push(e);
  if (shown.length > 10 * shownLines) shown.splice(0, shown.length - shownLines);
  latest = status;
  if (!renderQueued) {
    renderQueued = true;
    requestAnimationFrame(() => {
      renderQueued = false;
      render(latest);
    });
  }
});
let latest: readonly ServerStatus[] = [];
let renderQueued = false;

const page = {
  runtime,
  runProof: (seed?: number) => runProof(new WorkerSpawner('opfs-lockstep'), { ...proofOptions, seed: seed ?? proofOptions.seed }),
  shareHash,
  traceHash,
  runFromHash,
  runToJson,
  runFromJson,
  /** opens a console whose output also shows on the page */
  openConsole(name: string, connectString: string) {
    const c = runtime.openConsole(name, connectString);
    c.onOutput((text) => page.echo(text));
    return c;
  },
  consoles: new Map<string, ReturnType<typeof runtime.openConsole>>(),
  /** types a line into console `name` (opened on first use) and resolves with what it printed */
  async exec(name: string, connectString: string, line: string): Promise<string> {
    let c = page.consoles.get(name);
    if (!c) {
      c = page.openConsole(name, connectString);
      page.consoles.set(name, c);
    }
    let out = '';
    const off = c.onOutput((text) => {
      out += text;
    });
    page.echo(`${c.prompt()}${line}\n`);
    c.submit(line);
    await c.idle();
    off();
    return out;
  },
  echo(text: string) {
    consoleText = (consoleText + text).slice(-20_000);
    if (consoleQueued) return;
    consoleQueued = true;
    requestAnimationFrame(() => {
      consoleQueued = false;
      document.getElementById('console')!.textContent = consoleText.slice(-4000);
    });
  },
};

(window as unknown as { __playground: typeof page }).__playground = page;
document.getElementById('summary')!.textContent = 'runtime loaded';
