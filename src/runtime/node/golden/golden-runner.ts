/**
 * Runs golden cases (../shared/golden format) against the playground: each case gets a fresh
 * simulated world with the case's server, every `#@ session` is a zkCli process over it, and
 * the transcripts are assembled exactly as run-cases.sh assembles real ZooKeeper's.
 *
 * Virtual time: the capture tool waited 0.3 s before sending each command; we advance the
 * world by the same amount, so asynchronous WATCHER blocks land after the prompt as they did.
 */
import { CliSession } from '../cli-session.ts';
import { startStandalone } from '../standalone.ts';
import { ClientWorld } from '../../sim/client-world.ts';
import { Ensemble } from '../../sim/ensemble.ts';
import { settle } from '../../sim/ensemble-status.ts';
import { Rng } from '../../sim/rng.ts';
import { assembleTranscript, parseCase, type GoldenCase, type TranscriptSection } from './case-file.ts';

/** run-cases.sh sleeps ZKG_SETTLE = 0.3 s after each prompt before typing the next command. */
export const settleMs = 300;
/** Every case starts at the same virtual instant, so runs are reproducible. */
export const caseStartMs = Date.UTC(2026, 10, 22, 13, 0, 0);

export type CaseRun =
  | { readonly kind: 'ran'; readonly transcript: string }
  | { readonly kind: 'pending'; readonly reason: string };

interface SessionState {
  readonly name: string;
  readonly args: readonly string[];
  readonly cli: CliSession;
  text: string;
  alive: boolean;
}

export function runCase(text: string, seed = 1): CaseRun {
  const c: GoldenCase = parseCase(text);
  const rng = new Rng(seed);
  let ensemble: Ensemble | null = null;
  let world: ClientWorld;
  const killed: number[] = [];
  if (c.server === 'ensemble') {
    // zk-ensemble.sh starts server.1..3 at once and waits until every one serves
    ensemble = new Ensemble({ servers: 3, seed, startMs: caseStartMs });
    for (const sid of ensemble.sids) ensemble.start(sid);
    settle(ensemble);
    world = ensemble.world;
  } else {
    world = new ClientWorld(caseStartMs);
  }
  if (c.server === 'standalone') {
    startStandalone(world, `127.0.0.1:${c.port}`, { extendedTypesEnabled: 'true', 'znode.container.checkIntervalMs': '1000', ...c.servercfg });
  }
  const sessions = new Map<string, SessionState>();
  const order: (SessionState | Extract<TranscriptSection, { kind: 'oneshot' }>)[] = [];
  let current: SessionState | null = null;
  for (const step of c.steps) {
    switch (step.kind) {
      case 'session': {
        let s = sessions.get(step.name);
        if (!s) {
          s = startSession(world, rng, step.name, step.args);
          sessions.set(step.name, s);
          order.push(s);
        }
        current = s;
        break;
      }
      case 'command':
      case 'raw': {
        const s = current ?? sessions.get(step.session);
        if (s) typeLine(world, s, step.kind === 'raw' ? step.text : step.text);
        break;
      }
      case 'sleep':
        world.run(world.now + Math.round(step.seconds * 1000));
        break;
      case 'oneshot':
        order.push(runOneShot(world, rng, c.port, step.args));
        break;
      case 'shell':
        break;
      default:
        if (!ensemble) return { kind: 'pending', reason: `directive ${step.kind} needs an ensemble case` };
        ensembleStep(ensemble, step, killed);
    }
  }
  const sections: TranscriptSection[] = order.map((s) =>
    'cli' in s ? { kind: 'session', name: s.name, args: s.args, transcript: s.text } : s);
  return { kind: 'ran', transcript: assembleTranscript(sections) };
}

function startSession(world: ClientWorld, rng: Rng, name: string, args: readonly string[]): SessionState {
  const state: SessionState = { name, args, cli: null as unknown as CliSession, text: '', alive: true };
  const write = (t: string): void => {
    state.text += t;
  };
  const cli = new CliSession(world, args, { out: write, err: write }, () => rng.next());
  (state as { cli: CliSession }).cli = cli;
  const r = cli.start();
  if (r.kind !== 'done') {
    state.alive = false;
    return state;
  }
  cli.cli.printWelcome();
  state.text += cli.prompt();
  world.run(world.now + settleMs);
  return state;
}

function typeLine(world: ClientWorld, s: SessionState, line: string): void {
  if (!s.alive) return;
  s.text += line + '\n';
  const r = s.cli.executeLine(line);
  if (r.kind !== 'done') {
    s.alive = false;
    s.cli.exit();
    return;
  }
  s.text += s.cli.prompt();
  world.run(world.now + settleMs);
}

function runOneShot(world: ClientWorld, rng: Rng, port: number, args: readonly string[]): Extract<TranscriptSection, { kind: 'oneshot' }> {
  let output = '';
  const write = (t: string): void => {
    output += t;
  };
  const cli = new CliSession(world, ['-server', `127.0.0.1:${port}`, ...args], { out: write, err: write }, () => rng.next());
  const r = cli.oneShot(cli.options.command);
  cli.exit();
  world.run(world.now + settleMs);
  const exitCode = r.kind === 'quit' ? r.code : r.kind === 'crash' ? 1 : 0;
  return { kind: 'oneshot', port, args, output, exitCode };
}

/** wait-leader waits at most 20 s, wait-serving at most 60 s (run-cases.sh). */
const waitLeaderMaxMs = 20_000;
const waitServingMaxMs = 60_000;

function ensembleStep(e: Ensemble, step: GoldenCase['steps'][number], killed: number[]): void {
  switch (step.kind) {
    case 'kill': {
      const targets = step.targets === 'leader' ? [e.leader()].filter((x): x is number => x !== null) : step.targets;
      for (const sid of targets) {
        e.kill(sid);
        if (!killed.includes(sid)) killed.push(sid);
      }
      break;
    }
    case 'start': {
      const targets = step.targets === 'killed' ? [...killed] : step.targets;
      for (const sid of targets) {
        if (!e.isUp(sid)) e.start(sid);
        killed.splice(killed.indexOf(sid), killed.includes(sid) ? 1 : 0);
      }
      break;
    }
    case 'wait-leader':
      e.world.run(e.world.now + waitLeaderMaxMs, () => e.leader() !== null);
      break;
    case 'wait-serving':
      e.world.run(e.world.now + waitServingMaxMs, () => step.servers.every((sid) => e.peers.get(sid)?.isServing() === true));
      break;
    default:
      break;
  }
}
