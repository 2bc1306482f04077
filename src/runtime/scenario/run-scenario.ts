/**
 * Runs a parsed scenario against a simulated ensemble and returns the transcript: every line
 * echoed, followed by what it printed.
 */
import { CliSession } from '../node/cli-session.ts';
import { Ensemble } from '../sim/ensemble.ts';
import type { ScenarioStep } from './scenario.ts';
import { fourLetterWord } from './four-letter.ts';
import { settle, statusLines } from '../sim/ensemble-status.ts';


interface Run {
  ensemble: Ensemble | null;
  participants: number;
  observers: number;
  spares: number;
  spareObservers: number;
  seed: number;
  config: Record<string, string>;
  readonly clients: Map<string, { cli: CliSession; buffer: string[] }>;
  readonly out: string[];
}

export function runScenario(steps: readonly ScenarioStep[], opts: { seed?: number } = {}): string {
  const run: Run = { ensemble: null, participants: 3, observers: 0, spares: 0, spareObservers: 0, seed: opts.seed ?? 1, config: {}, clients: new Map(), out: [] };
  for (const step of steps) {
    try {
      runStep(run, step);
    } catch (e) {
      run.out.push(`error at line ${step.line}: ${e instanceof Error ? e.message : String(e)}`);
      break;
    }
  }
  return run.out.join('\n') + '\n';
}

function ensemble(run: Run): Ensemble {
  if (!run.ensemble) {
    const tick = Number(run.config.tickTime ?? 2000);
    run.ensemble = new Ensemble({
      servers: run.participants, observers: run.observers, spares: run.spares, spareObservers: run.spareObservers, seed: run.seed, tickTime: tick,
      initLimit: Number(run.config.initLimit ?? 10), syncLimit: Number(run.config.syncLimit ?? 5),
      serverConfig: {
        extendedTypesEnabled: run.config.extendedTypesEnabled === 'true',
        enforceQuota: run.config.enforceQuota === 'true',
        reconfigEnabled: run.config.reconfigEnabled === 'true',
        skipACL: run.config.skipACL === 'yes' || run.config.skipACL === 'true',
        superDigest: run.config['zookeeper.DigestAuthenticationProvider.superDigest'] ?? null,
      },
    });
  }
  return run.ensemble;
}

function targets(run: Run, t: readonly number[] | 'all' | 'leader'): number[] {
  const e = ensemble(run);
  if (t === 'all') return e.sids.filter((sid) => !e.isSpare(sid));
  if (t === 'leader') {
    const l = e.leader();
    return l === null ? [] : [l];
  }
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
      run.out.push(`servers ${step.participants}${step.observers ? ` observers ${step.observers}` : ''}${step.spares ? ` spare ${step.spares}` : ''}${step.spareObservers ? ` spare-observers ${step.spareObservers}` : ''}`);
      return;
    case 'config':
      run.config[step.key] = step.value;
      run.out.push(`config ${step.key}=${step.value}`);
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
      run.out.push(`client ${step.name} ${step.connectString}`);
      openClient(run, step.name, step.connectString);
      return;
    case 'command':
      run.out.push(echo!);
      command(run, step.client, step.text);
      return;
    case 'fourlw':
      run.out.push(`4lw ${step.server} ${step.word}`);
      run.out.push(fourLetterWord(ensemble(run), step.server, step.word).replace(/\n$/, ''));
      return;
    case 'note':
      run.out.push(`note ${step.text}`);
      return;
  }
}

function openClient(run: Run, name: string, connectString: string): void {
  const e = ensemble(run);
  const buffer: string[] = [];
  const write = (t: string): void => {
    buffer.push(t);
  };
  const cli = new CliSession(e.world, ['-server', connectString, '-waitforconnection'], { out: write, err: write }, () => e.rng.next());
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

/** Prints what each zkCli printed since the last flush (watch events included). */
function flushClients(run: Run): void {
  for (const c of run.clients.values()) {
    if (c.buffer.length === 0) continue;
    const text = c.buffer.join('');
    c.buffer.length = 0;
    run.out.push(text.replace(/\n$/, ''));
  }
}
