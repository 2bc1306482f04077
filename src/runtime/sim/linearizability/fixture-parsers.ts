/**
 * Parsers for the public linearizability test data (`../shared/reference/linearizability-data`,
 * carried by Porcupine's test suite): Jepsen etcd logs of a compare-and-set register, and
 * Jepsen kv histories in EDN lines. Both become event-style histories for `checkEvents`.
 *
 * Theory of operation
 *   Events are matched per process: an invocation opens the process's operation, the next
 *   completion of that process closes it. A completion whose outcome is unknown is treated
 *   as Porcupine's tests do:
 *     - `:fail :read :timed-out` returns at that point with an unknown output (a read that did
 *       not complete constrains nothing);
 *     - `:info` (a write or cas that timed out) leaves the operation without a return: it may
 *       take effect at any later time, or never (pass `unknownOutput` to `checkEvents`);
 *     - an invocation whose completion never appears is likewise pending.
 *   Lines that match no pattern are log noise and are skipped.
 */
import { assert } from '../../../engine/util/assert.ts';
import type { KvInput, KvOutput } from './kv-model.ts';
import type { HistoryEvent } from './model.ts';
import type { RegisterInput, RegisterOutput } from './register-model.ts';

const jepsenLine = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

export function parseEtcdLog(text: string): HistoryEvent<RegisterInput, RegisterOutput>[] {
  const events: HistoryEvent<RegisterInput, RegisterOutput>[] = [];
  const open = new Map<number, number>();
  let nextId = 0;
  for (const line of text.split('\n')) {
    const m = jepsenLine.exec(line);
    if (m === null) continue;
    const process = Number(m[1]);
    const [type, f, arg] = [m[2], m[3], m[4]];
    if (type === 'invoke') {
      assert(!open.has(process), `process ${process} invokes twice: ${line}`);
      open.set(process, nextId);
      events.push({ clientId: process, kind: 'call', id: nextId++, value: registerInput(f, arg) });
      continue;
    }
    const id = open.get(process);
    assert(id !== undefined, `completion without an invocation: ${line}`);
    open.delete(process);
    if (type === 'info') continue;
    events.push({ clientId: process, kind: 'return', id, value: registerOutput(type, f, arg) });
  }
  return events;
}

function registerInput(f: string, arg: string): RegisterInput {
  if (f === 'read') return { type: 'read' };
  if (f === 'write') return { type: 'write', value: Number(arg) };
  const m = /^\[(\d+)\s+(\d+)\]$/.exec(arg);
  assert(m !== null, `cas argument ${arg}`);
  return { type: 'cas', from: Number(m[1]), to: Number(m[2]) };
}

function registerOutput(type: string, f: string, arg: string): RegisterOutput {
  if (arg === ':timed-out') return { type: 'unknown' };
  if (type === 'fail') return { type: 'fail' };
  if (f === 'read') return { type: 'ok', value: arg === 'nil' ? null : Number(arg) };
  return { type: 'ok' };
}

const kvLine = /^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "(.*?)", :value (nil|"(.*)")\}\s*$/;

export function parseKvLog(text: string): HistoryEvent<KvInput, KvOutput>[] {
  const events: HistoryEvent<KvInput, KvOutput>[] = [];
  const open = new Map<number, number>();
  let nextId = 0;
  for (const line of text.split('\n')) {
    const m = kvLine.exec(line);
    if (m === null) continue;
    const process = Number(m[1]);
    const [type, f, key, value] = [m[2], m[3], m[4], m[6] ?? ''];
    if (type === 'invoke') {
      assert(!open.has(process), `process ${process} invokes twice: ${line}`);
      open.set(process, nextId);
      const input: KvInput = f === 'get' ? { type: 'get', key } : { type: f === 'put' ? 'put' : 'append', key, value };
      events.push({ clientId: process, kind: 'call', id: nextId++, value: input });
      continue;
    }
    const id = open.get(process);
    assert(id !== undefined, `completion without an invocation: ${line}`);
    open.delete(process);
    events.push({ clientId: process, kind: 'return', id, value: f === 'get' ? { type: 'ok', value } : { type: 'ok' } });
  }
  return events;
}
