/**
 * Drives the app with the scenario language (src/runtime/scenario/scenario.ts): lessons, the
 * scenario editor and shared links all run through here, and each step is an intent a person
 * could have made (start a server, kill one, type a zkCli command into a console by name).
 */
import type { Sid } from '../../engine/protocol/ids.ts';
import { parseScenario, type ScenarioStep } from '../../runtime/scenario/scenario.ts';
import type { ServerStatus } from '../../runtime/playground/api.ts';
import type { Services } from '../app/services.ts';
import { leaderOf } from '../store/view-models.ts';
import { zooCfgFor } from '../runtime/zoo-cfg-lite.ts';

/** settle gives up after this much virtual time (as the scenario runner does) */
export const settleMaxMs = 120_000;
const settleSliceMs = 100;
/** steps one `run` may take on a runtime without runFor */
export const runStepsMax = 20_000;

export function isSettled(status: readonly ServerStatus[]): boolean {
  const up = status.filter((s) => s.role !== 'down');
  if (up.length === 0) return true;
  const leader = leaderOf(status);
  const voters = status.filter((s) => !s.observer);
  if (leader === null) return up.filter((s) => !s.observer).length * 2 <= voters.length && up.every((s) => s.role === 'looking');
  const applied = status.find((s) => s.sid === leader)!.committedZxid;
  return up.every((s) => s.phase === 'broadcast' && s.leader === leader && s.committedZxid === applied);
}

export class ScenarioDriver {
  private participants = 3;
  private observers = 0;
  private config: Record<string, string> = {};
  private seed: number | null = null;
  private built = false;

  constructor(private readonly services: Services) {}

  private status(): readonly ServerStatus[] {
    return this.services.store.getState().status;
  }

  private zooCfg(): string {
    let text = zooCfgFor(this.participants, this.observers);
    for (const [k, v] of Object.entries(this.config)) {
      const re = new RegExp(`^${k}=.*$`, 'm');
      text = re.test(text) ? text.replace(re, `${k}=${v}`) : text + `${k}=${v}\n`;
    }
    return text;
  }

  private async ensure(): Promise<void> {
    if (this.built) return;
    this.built = true;
    // lessons and scenarios run paused (lockstep) so they play the same way every time
    await this.services.restartRun({ zooCfg: this.zooCfg(), seed: this.seed ?? undefined, startAll: false, mode: 'lockstep', fresh: true, play: false });
    // "servers N" declares servers; "start" starts them. A runtime that starts all of them at
    // once gets them killed before anything was delivered (nothing happened yet in lockstep).
    if (!this.services.runtime.startServers) for (const s of this.status()) this.services.runtime.kill(s.sid);
    await new Promise((r) => setTimeout(r, 0));
  }

  private targets(t: readonly number[] | 'all' | 'leader'): Sid[] {
    if (t === 'all') return this.status().map((s) => s.sid);
    if (t === 'leader') {
      const l = leaderOf(this.status());
      return l === null ? [] : [l];
    }
    return [...t];
  }

  private async runFor(ms: number): Promise<void> {
    const rt = this.services.runtime;
    if (rt.runFor) await rt.runFor(ms);
    else if (rt.runUntil) {
      // virtual time as the event stream reports it
      const target = this.services.store.getState().vm.now + ms;
      await rt.runUntil(() => this.services.store.getState().vm.now >= target, runStepsMax);
    }
    // let the event stream reach the store before the next look at the status
    await new Promise((r) => setTimeout(r, 0));
  }

  private async settle(): Promise<void> {
    let stableSince = -1;
    for (let t = 0; t <= settleMaxMs; t += settleSliceMs) {
      if (isSettled(this.status())) {
        if (stableSince < 0) stableSince = t;
        if (t - stableSince >= 400) return;
      } else {
        stableSince = -1;
      }
      await this.runFor(settleSliceMs);
    }
  }

  /** Waits for a console's command to finish, stepping a lockstep run meanwhile (bounded). */
  private async untilIdle(handle: { idle?(): Promise<void> }): Promise<void> {
    if (!handle.idle) return;
    let done = false;
    const idle = handle.idle().then(() => {
      done = true;
    });
    const rt = this.services.runtime;
    if (this.services.store.getState().mode === 'lockstep' && rt.runUntil) {
      await new Promise((r) => setTimeout(r, 0));
      if (!done) await rt.runUntil(() => done, runStepsMax);
    }
    await idle;
  }

  /** Start servers: a runtime that starts every server by itself had the others killed at first. */
  private start(sids: readonly Sid[]): void {
    const rt = this.services.runtime;
    if (rt.startServers) rt.startServers(sids);
    else for (const sid of sids) rt.restart(sid);
  }

  async runText(text: string): Promise<string[]> {
    const parsed = parseScenario(text);
    if (!parsed.ok) return parsed.errors;
    for (const step of parsed.steps) await this.runStep(step);
    return [];
  }

  async runStep(step: ScenarioStep): Promise<void> {
    const rt = this.services.runtime;
    switch (step.kind) {
      case 'servers':
        this.participants = step.participants;
        this.observers = step.observers;
        this.built = false;
        return;
      case 'config':
        this.config[step.key] = step.value;
        this.built = false;
        return;
      case 'seed':
        this.seed = step.seed;
        this.built = false;
        return;
      case 'start':
        await this.ensure();
        this.start(this.targets(step.targets));
        return;
      case 'restart':
        await this.ensure();
        for (const sid of this.targets(step.targets)) rt.restart(sid);
        return;
      case 'kill':
        await this.ensure();
        for (const sid of this.targets(step.targets)) rt.kill(sid);
        return;
      case 'partition':
        await this.ensure();
        rt.partition(step.groups, step.oneWay);
        return;
      case 'heal':
        await this.ensure();
        this.services.store.getState().heal();
        return;
      case 'run':
        await this.ensure();
        await this.runFor(step.ms);
        return;
      case 'settle':
        await this.ensure();
        await this.settle();
        return;
      case 'status': case 'note': case 'fourlw':
        return;
      case 'client':
        await this.ensure();
        this.services.openConsole(step.connectString, step.name);
        // zkCli -waitforconnection, as the scenario runner opens its clients
        for (let i = 0; i < 100 && !/CONNECTED\)/.test(this.services.consoles.byName(step.name)?.handle.prompt() ?? ''); i++) await this.runFor(50);
        return;
      case 'command': {
        await this.ensure();
        const rec = this.services.consoles.byName(step.client);
        if (rec) {
          this.services.consoles.submit(rec.id, step.text);
          await this.untilIdle(rec.handle);
        }
        return;
      }
    }
  }
}

/** Lines of a run record's actions as a scenario (share links replay through the driver). */
export function actionsToScenario(zooCfg: string, seed: number, actions: readonly { t: number; action: string }[]): string {
  const servers = (zooCfg.match(/^server\.\d+=/gm) ?? []).length;
  const observers = (zooCfg.match(/^server\.\d+=.*:observer/gm) ?? []).length;
  const lines = [`servers ${servers - observers}${observers ? ` observers ${observers}` : ''}`, `seed ${seed}`];
  let t0: number | null = null;
  for (const a of actions) {
    if (t0 !== null && a.t > t0) lines.push(`run ${a.t - t0}`);
    if (t0 === null || a.t > t0) t0 = a.t;
    lines.push(a.action);
  }
  return lines.join('\n') + '\n';
}
