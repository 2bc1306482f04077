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
    await this.services.restartRun({ zooCfg: this.zooCfg(), seed: this.seed ?? undefined, startAll: false, mode: 'lockstep' });
  }

  private targets(t: readonly number[] | 'all' | 'leader'): Sid[] {
    if (t === 'all') return this.status().map((s) => s.sid);
    if (t === 'leader') {
      const l = leaderOf(this.status());
      return l === null ? [] : [l];
    }
    return [...t];
  }

  private settle(): void {
    const rt = this.services.runtime;
    let stableSince = -1;
    for (let t = 0; t <= settleMaxMs; t += settleSliceMs) {
      if (isSettled(this.status())) {
        if (stableSince < 0) stableSince = t;
        if (t - stableSince >= 400) return;
      } else {
        stableSince = -1;
      }
      rt.runFor?.(settleSliceMs);
    }
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
        rt.startServers?.(this.targets(step.targets));
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
        rt.runFor?.(step.ms);
        return;
      case 'settle':
        await this.ensure();
        this.settle();
        return;
      case 'status': case 'note': case 'fourlw':
        return;
      case 'client':
        await this.ensure();
        this.services.openConsole(step.connectString, step.name);
        return;
      case 'command': {
        await this.ensure();
        const rec = this.services.consoles.byName(step.client);
        if (rec) this.services.consoles.submit(rec.id, step.text);
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
