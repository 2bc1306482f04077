/**
 * Runs a parsed scenario against a simulated ensemble and returns the transcript: every line
 * echoed, followed by what it printed.
 */
import { CliSession } from '../node/cli-session.ts';
import { Ensemble } from '../sim/ensemble.ts';
import type { ScenarioStep } from './scenario.ts';
import { fourLetterWord, fourLetterPortBase, zkServerStatusText, type FourLetterHost } from './four-letter.ts';
import { settle, statusLines } from '../sim/ensemble-status.ts';
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import { planGenerated, planZooCfg, type ClusterPlan } from './scenario-config.ts';

interface Run {
  ensemble: Ensemble | null;
  plan: ClusterPlan | null;
  participants: number;
  observers: number;
  spares: number;
  spareObservers: number;
  seed: number;
  /** `config` lines in order (a later key wins, as in zoo.cfg) */
  config: Array<readonly [string, string]>;
  /** a complete zoo.cfg (`zoocfg` or --cfg), which replaces servers/config */
  zooCfg: string | null;
  nextPort: number;
  /** learner syncs seen since the last `syncs` */
  readonly syncs: string[];
  readonly clients: Map<string, { cli: CliSession; buffer: string[] }>;
  readonly out: string[];
}

/** The config is invalid and nothing started (ZooKeeper's error lines are printed). */
class NothingStarted extends Error {}

export function runScenario(steps: readonly ScenarioStep[], opts: { seed?: number; zooCfg?: string } = {}): string {
  const run: Run = {
    ensemble: null, plan: null, participants: 3, observers: 0, spares: 0, spareObservers: 0, seed: opts.seed ?? 1, config: [], zooCfg: opts.zooCfg ?? null,
    nextPort: fourLetterPortBase, syncs: [], clients: new Map(), out: [],
  };
  let skipping = false;
  for (const step of steps) {
    // after an invalid config, nothing runs until the next `servers` or `zoocfg`
    if (skipping && step.kind !== 'servers' && step.kind !== 'zoocfg' && step.kind !== 'note') continue;
    skipping = false;
    try {
      runStep(run, step);
    } catch (e) {
      if (e instanceof NothingStarted) {
        skipping = true;
        continue;
      }
      run.out.push(`error at line ${step.line}: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  return run.out.join('\n') + '\n';
}

function ensemble(run: Run): Ensemble {
  if (run.ensemble) return run.ensemble;
  const planned = run.zooCfg !== null ? planZooCfg(run.zooCfg) : planGenerated(run.participants, run.observers, run.config);
  if (!planned.ok) {
    run.out.push(...planned.errors, 'nothing started');
    throw new NothingStarted();
  }
  const plan = planned.plan;
  const first = plan.servers[0];
  const { sid: _sid, ...serverConfig } = first.serverConfig;
  const voters = plan.members.filter((m) => !m.observer).length;
  run.plan = plan;
  run.ensemble = new Ensemble({
    servers: voters, observers: plan.members.length - voters, seed: run.seed, tickTime: first.cfg.tickTime,
    initLimit: first.cfg.initLimit, syncLimit: first.cfg.syncLimit, serverConfig,
    members: plan.members, standalone: plan.standalone, ...(plan.standalone ? {} : { configText: plan.configText }),
    ...(run.zooCfg === null ? { spares: run.spares, spareObservers: run.spareObservers } : {}),
  });
  run.ensemble.traceListeners.push((_sid2, events) => {
    for (const t of events) {
      if (t.type !== 'learnerSync') continue;
      run.syncs.push(`server.${t.leader} -> server.${t.learner}: ${t.mode} ${hex(t.zxid)} (learner at ${hex(t.peerLastZxid)})`);
    }
  });
  return run.ensemble;
}

function fourLetterHost(run: Run, sid: Sid): FourLetterHost {
  const e = ensemble(run);
  if (!e.sids.includes(sid)) throw new Error(`there is no server.${sid} (servers: ${e.sids.join(', ')})`);
  const plan = run.plan!;
  const host: FourLetterHost = {
    ensemble: e,
    plan: (sid: Sid) => {
      const p = plan.servers.find((s) => s.sid === sid);
      if (!p) throw new Error(`there is no server.${sid}`);
      return p;
    },
    nextPort: run.nextPort,
  };
  return host;
}

function targets(run: Run, t: readonly number[] | 'all' | 'leader'): number[] {
  const e = ensemble(run);
  if (t === 'all') return e.sids.filter((sid) => !e.isSpare(sid));
  if (t === 'leader') {
    const l = e.leader();
    return l === null ? [] : [l];
  }
  for (const sid of t) if (!e.sids.includes(sid)) throw new Error(`there is no server.${sid} (servers: ${e.sids.join(', ')})`);
  return [...t];
}

function runStep(run: Run, step: ScenarioStep): void {
  const echo = step.kind === 'command' ? `${step.client}> ${step.text}` : null;
  switch (step.kind) {
    case 'servers':
      run.participants = step.participants;
      run.observers = step.observers;
      run.spares = step.spares;
      run.spareObservers = step.spareObservers;
      run.ensemble = null;
      run.zooCfg = null;
      run.out.push(`servers ${step.participants}${step.observers ? ` observers ${step.observers}` : ''}${step.spares ? ` spare ${step.spares}` : ''}${step.spareObservers ? ` spare-observers ${step.spareObservers}` : ''}`);
      return;
    case 'config':
      run.config.push([step.key, step.value]);
      run.out.push(`config ${step.key}=${step.value}`);
      return;
    case 'zoocfg':
      run.zooCfg = step.text;
      run.ensemble = null;
      run.out.push('zoocfg', step.text.replace(/\n$/, ''), 'end');
      return;
    case 'seed':
      run.seed = step.seed;
      run.out.push(`seed ${step.seed}`);
      return;
    case 'start': case 'restart': {
      const ids = targets(run, step.targets);
      run.out.push(`${step.kind} ${ids.join(' ')}`);
      for (const sid of ids) if (!ensemble(run).isUp(sid)) ensemble(run).start(sid);
      return;
    }
    case 'kill': {
      const ids = targets(run, step.targets);
      run.out.push(`kill ${ids.join(' ')}`);
      for (const sid of ids) ensemble(run).kill(sid);
      return;
    }
    case 'partition':
      run.out.push(`partition ${step.groups.map((g) => g.join(',')).join(step.oneWay ? ' -> ' : ' | ')}`);
      ensemble(run).partition(step.groups, step.oneWay);
      return;
    case 'heal':
      run.out.push('heal');
      ensemble(run).heal();
      return;
    case 'run':
      run.out.push(`run ${step.ms}`);
      ensemble(run).run(step.ms);
      flushClients(run);
      return;
    case 'settle':
      run.out.push(`settle`);
      run.out.push(settle(ensemble(run)));
      flushClients(run);
      return;
    case 'status':
      run.out.push('status');
      run.out.push(...statusLines(ensemble(run)));
      return;
    case 'client':
      run.out.push(`client ${step.name} ${step.connectString}${step.from ? ` from ${step.from}` : ''}`);
      openClient(run, step.name, step.connectString, step.from);
      return;
    case 'command':
      run.out.push(echo!);
      command(run, step.client, step.text);
      return;
    case 'fourlw': {
      run.out.push(`4lw ${step.server} ${step.word}`);
      const host = fourLetterHost(run, step.server);
      const reply = fourLetterWord(host, step.server, step.word);
      run.nextPort = host.nextPort;
      // nc prints the reply as it comes; a reply without a final newline still ends the line here
      if (reply !== '') run.out.push(reply.replace(/\n$/, ''));
      return;
    }
    case 'zkstatus': {
      run.out.push(`zkstatus ${step.server}`);
      const host = fourLetterHost(run, step.server);
      run.out.push(...zkServerStatusText(host, step.server));
      run.nextPort = host.nextPort;
      return;
    }
    case 'syncs':
      run.out.push('syncs');
      ensemble(run);
      run.out.push(...(run.syncs.length > 0 ? run.syncs : ['(no learner synced)']));
      run.syncs.length = 0;
      return;
    case 'load':
      run.out.push(`load ${step.client} ${step.count} ${step.path}`);
      load(run, step.client, step.count, step.path);
      return;
    case 'note':
      run.out.push(`note ${step.text}`);
      return;
  }
}

function openClient(run: Run, name: string, connectString: string, from?: string): void {
  const e = ensemble(run);
  const buffer: string[] = [];
  const write = (t: string): void => {
    buffer.push(t);
  };
  const cli = new CliSession(e.world, ['-server', connectString, '-waitforconnection'], { out: write, err: write }, () => e.rng.next(), from);
  run.clients.set(name, { cli, buffer });
  cli.start();
  e.run(0);
  flushClients(run);
}

function command(run: Run, name: string, text: string): void {
  const c = run.clients.get(name);
  if (!c) {
    run.out.push(`no client named ${name} (open one with: client ${name} 127.0.0.1:2181)`);
    return;
  }
  const r = c.cli.executeLine(text);
  if (r.kind !== 'done') {
    c.cli.exit();
    run.clients.delete(name);
  }
  flushClients(run);
}

/** `load`: the client creates PATH-0 … PATH-(count-1), one after another; prints how many succeeded. */
function load(run: Run, name: string, count: number, path: string): void {
  const c = run.clients.get(name);
  if (!c) {
    run.out.push(`no client named ${name} (open one with: client ${name} 127.0.0.1:2181)`);
    return;
  }
  flushClients(run);
  let created = 0;
  for (let i = 0; i < count; i++) {
    c.cli.executeLine(`create ${path}-${i}`);
    const text = c.buffer.join('');
    c.buffer.length = 0;
    if (text.startsWith('Created ')) created++;
  }
  run.out.push(`created ${created} of ${count} znodes ${path}-0 .. ${path}-${count - 1}`);
}

/** Prints what each zkCli printed since the last flush (watch events included). */
function flushClients(run: Run): void {
  for (const c of run.clients.values()) {
    if (c.buffer.length === 0) continue;
    const text = c.buffer.join('');
    c.buffer.length = 0;
    run.out.push(text.replace(/\n$/, ''));
  }
}
