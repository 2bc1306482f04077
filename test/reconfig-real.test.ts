/**
 * Dynamic reconfig against real ZooKeeper 3.8.0: the cases in test/fixtures/reconfig-real were
 * run on a real 3-server ensemble (reconfigEnabled=true, super digest auth); here the same
 * commands run on the simulated ensemble and each command's output must be what real zkCli
 * printed, after mapping the real ports to the simulator's and dropping what varies between
 * runs (mtime, asynchronous WATCHER:: blocks).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../src/runtime/scenario/scenario.ts';
import { runScenario } from '../src/runtime/scenario/run-scenario.ts';

const dir = join(import.meta.dirname, 'fixtures', 'reconfig-real');

/** real ports -> simulated ports: quorum 258N -> 288N, election 268N -> 388N, client 238N -> 218N */
function mapPorts(text: string): string {
  return text.replace(/\b258(\d)\b/g, '288$1').replace(/\b268(\d)\b/g, '388$1').replace(/\b238(\d)\b/g, '218$1');
}

function normalize(lines: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === 'WATCHER::') {
      i += 2; // "WATCHER::", "", "WatchedEvent ..."
      continue;
    }
    out.push(lines[i].startsWith('mtime = ') ? 'mtime = <date>' : lines[i]);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  while (out.length > 0 && out[0] === '') out.shift();
  return out.join('\n');
}

/** The real transcript as (command, output) pairs, split at zkCli's prompts. */
function realPairs(name: string): { command: string; output: string }[] {
  const pieces = mapPorts(readFileSync(join(dir, `${name}.out`), 'utf8')).split(/\[zk: [^\]]*\] /).slice(1);
  return pieces.filter((p) => p !== '').map((p) => {
    // a WATCHER:: block that arrived while the prompt waited stands before the echoed command
    const lines = p.replace(/^(\nWATCHER::\n\nWatchedEvent [^\n]*\n)+/, '').split('\n');
    return { command: lines[0], output: normalize(lines.slice(1)) };
  });
}

/**
 * The case as a scenario: joiner starts become `start 4` + `settle`, the `srvr` loops become
 * `status`, other shell lines are dropped.
 */
function scenarioOf(name: string, servers = 'servers 3 spare 1', auth = 'config DigestAuthenticationProvider.superDigest=super:D/InIHSb7yEEbrWz8b9l71RjZJU='): string {
  const head = [servers, 'config reconfigEnabled=true', auth, 'start all', 'settle', 'client c1 127.0.0.1:2181'];
  const body: string[] = [];
  for (const line of mapPorts(readFileSync(join(dir, `${name}.cli`), 'utf8')).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#@ shell') && line.includes('zk.sh start 4')) body.push('start 4', 'settle');
    else if (line.startsWith('#@ shell') && line.includes('srvr')) body.push('status');
    else if (line.startsWith('#@ sleep')) body.push('run 5000');
    else if (!line.startsWith('#')) body.push(`c1> ${line}`);
  }
  return [...head, ...body].join('\n');
}

function simPairs(name: string, joinerStarts: boolean): { command: string; output: string }[] {
  let text = scenarioOf(name);
  if (!joinerStarts) text = text.replace('start 4\nsettle\n', '');
  return pairsOf(run(text));
}

function run(text: string): string[] {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return runScenario(parsed.steps).split('\n');
}

function pairsOf(lines: string[]): { command: string; output: string }[] {
  const pairs: { command: string; lines: string[] }[] = [];
  const verb = /^(start|settle|settled after|run|servers|config|client|did not settle|status|server\.\d+ )\b/;
  let cur: { command: string; lines: string[] } | null = null;
  for (const l of lines) {
    if (l.startsWith('c1> ')) {
      cur = { command: l.slice(4), lines: [] };
      pairs.push(cur);
    } else if (verb.test(l)) {
      cur = null;
    } else if (cur) {
      cur.lines.push(l);
    }
  }
  return pairs.map((p) => ({ command: p.command, output: normalize(p.lines) }));
}

describe('reconfig output equals real ZooKeeper 3.8.0', () => {
  // case1's server 4 never ran (its zoo.cfg was rejected), so the simulated spare stays down too
  it('case1: errors, remove and re-add a follower, add a server that is down', () => {
    expect(simPairs('case1', false)).toEqual(realPairs('case1'));
  });

  it('case4: an observer joins as a non-voting follower, is added, a follower turns observer and back', () => {
    // real: srvr on 1,2,3,5 after each reconfig (case4.modes); simulated: `status`
    const text = scenarioOf('case4', 'servers 3 spare 2 spare-observers 1').replace('client c1', 'start 5\nsettle\nclient c1');
    const lines = run(text);
    expect(pairsOf(lines)).toEqual(realPairs('case4'));
    const javaMode = { following: 'follower', observing: 'observer', leading: 'leader' } as Record<string, string>;
    const modes: string[] = [];
    let round = 0;
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] !== 'status') continue;
      for (const sid of [1, 2, 3, 5]) {
        const role = lines[i + sid].split(' ')[1];
        modes.push(`${'ABCD'[round]}${sid} Mode: ${javaMode[role] ?? role}`);
      }
      round++;
    }
    expect(modes.join('\n')).toBe(readFileSync(join(dir, 'case4.modes'), 'utf8').trim());
  });

  it('case5: skipACL=yes lets anyone reconfig; config -w watches fire on each reconfig', () => {
    const lines = run(scenarioOf('case5', 'servers 3', 'config skipACL=yes'));
    expect(pairsOf(lines)).toEqual(realPairs('case5'));
    const changed = (text: string): number => text.split('WatchedEvent state:SyncConnected type:NodeDataChanged path:/zookeeper/config').length - 1;
    expect(changed(lines.join('\n'))).toBe(changed(readFileSync(join(dir, 'case5.out'), 'utf8')));
    expect(changed(lines.join('\n'))).toBe(2);
  });

  it('case2: a joiner added, the leader removed (hand-off), an observer added and removed', () => {
    expect(simPairs('case2', true)).toEqual(realPairs('case2'));
  });
});
