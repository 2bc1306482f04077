/**
 * Histories as Jepsen/Porcupine event lists, in JSON: export a checked history for other tools
 * (Knossos, Porcupine's visualiser after a small shim, a bug report) and import one back.
 *
 * Theory of operation
 *   Shape: an array of events `{process, type, f, value, time}` in time order, plus `error` on
 *   a failure, as Jepsen writes them. `invoke` opens an operation of `process`; the next
 *   `ok`/`fail`/`info` of that process completes it:
 *       ok    the operation happened and returned `value`
 *       fail  it returned an error; for ZooKeeper, `error` is the KeeperException code, and the
 *             model still checks that the error was the right answer in that state
 *       info  the outcome is unknown (timeout, connection loss): the operation may take effect
 *             at any time after its invocation, or never. Imported as `return: null`, also
 *             when the exported operation had a return time (an unknown output that returned).
 *   A `codec` maps a model's inputs and outputs to `f`/`value`/`error` and back, so the format
 *   is the same for every model. `time` is the history's virtual time (milliseconds in the
 *   simulator, where Jepsen uses nanoseconds); without `time`, an event's index is its time.
 *
 *   Order: by time; at equal times info first, then ok/fail, then invoke, so that a process's
 *   completion precedes its next invocation. The import pairs by process, not by order within
 *   an instant, and the checker treats equal times as concurrent (closed intervals), so ties
 *   keep their meaning. An operation that never returned gets its `info` at the next
 *   invocation of the same process, or at the end of the history.
 *
 *   JSON and bigint: zxids and session ids are bigint. `stringifyJepsen` writes a bigint as a
 *   decimal string with an `n` suffix ("4294967299n"); a genuine string of that form is escaped
 *   with a leading `~` (one more `~` each time). `parseJepsen` reverses both, so every value
 *   round-trips.
 */
import { assert, assertNever } from '../../../engine/util/assert.ts';
import { isPending, type Operation } from './model.ts';
import type { RegisterInput, RegisterOutput } from './register-model.ts';
import type { ZkErrorCode, ZkInput, ZkOutput } from './zk-model.ts';

export type JepsenEventType = 'invoke' | 'ok' | 'fail' | 'info';

export interface JepsenEvent {
  readonly process: number;
  readonly type: JepsenEventType;
  readonly f: string;
  readonly value: unknown;
  readonly time: number;
  readonly error?: unknown;
}

export interface JepsenCompletion {
  readonly type: 'ok' | 'fail' | 'info';
  readonly value: unknown;
  readonly error?: unknown;
}

/** How one model's operations look as Jepsen events. */
export interface JepsenCodec<Input, Output> {
  f(input: Input): string;
  invokeValue(input: Input): unknown;
  /** the completion of an operation; the model's unknown output must map to `info` */
  completion(input: Input, output: Output): JepsenCompletion;
  input(f: string, value: unknown): Input;
  /** `info` must map to the model's unknown output */
  output(input: Input, completion: JepsenCompletion): Output;
}

const eventRank: Record<JepsenEventType, number> = { info: 0, ok: 1, fail: 1, invoke: 2 };

export function toJepsenEvents<Input, Output>(
  history: readonly Operation<Input, Output>[],
  codec: JepsenCodec<Input, Output>,
): JepsenEvent[] {
  const endTime = history.reduce((t, op) => Math.max(t, op.call, isPending(op) ? t : (op.return as number)), 0);
  const nextCallOf = nextCallTimes(history);
  const keyed: { event: JepsenEvent; index: number }[] = [];
  history.forEach((op, i) => {
    const f = codec.f(op.input);
    const process = op.clientId;
    keyed.push({ event: { process, type: 'invoke', f, value: codec.invokeValue(op.input), time: op.call }, index: i });
    const completion = codec.completion(op.input, op.output);
    const pending = isPending(op);
    assert(!pending || completion.type === 'info', `operation ${i} never returned, so it must complete as info`);
    const time = pending ? (nextCallOf[i] ?? endTime) : (op.return as number);
    const event: JepsenEvent = { process, type: completion.type, f, value: completion.value, time };
    keyed.push({ event: completion.error === undefined ? event : { ...event, error: completion.error }, index: i });
  });
  keyed.sort((a, b) => {
    if (a.event.time !== b.event.time) return a.event.time < b.event.time ? -1 : 1;
    const rank = eventRank[a.event.type] - eventRank[b.event.type];
    return rank !== 0 ? rank : a.index - b.index;
  });
  return keyed.map((k) => k.event);
}

/** For each operation, the call time of the same client's next operation, if any. */
function nextCallTimes(history: readonly Operation<unknown, unknown>[]): (number | undefined)[] {
  const byClient = new Map<number, number[]>();
  history.forEach((op, i) => {
    const list = byClient.get(op.clientId);
    if (list) list.push(i);
    else byClient.set(op.clientId, [i]);
  });
  const next: (number | undefined)[] = new Array(history.length);
  for (const indices of byClient.values()) {
    indices.sort((a, b) => history[a].call - history[b].call || a - b);
    for (let k = 0; k + 1 < indices.length; k++) next[indices[k]] = history[indices[k + 1]].call;
  }
  return next;
}

/** Operations in invocation order; events of non-numeric processes (a nemesis) are skipped. */
export function fromJepsenEvents<Input, Output>(
  events: readonly JepsenEvent[],
  codec: JepsenCodec<Input, Output>,
): Operation<Input, Output>[] {
  type Open = { clientId: number; input: Input; call: number; output?: Output; return: number | null };
  const ops: Open[] = [];
  const openOf = new Map<number, Open>();
  const retire = (op: Open, value: unknown): void => {
    op.output = codec.output(op.input, { type: 'info', value });
    op.return = null;
  };
  events.forEach((event, index) => {
    if (!Number.isInteger(event.process)) return;
    const time = typeof event.time === 'number' ? event.time : index;
    const open = openOf.get(event.process);
    if (event.type === 'invoke') {
      if (open !== undefined) retire(open, null);
      const op: Open = { clientId: event.process, input: codec.input(event.f, event.value), call: time, return: null };
      ops.push(op);
      openOf.set(event.process, op);
      return;
    }
    if (open === undefined) return; // a completion without an invocation carries no information
    openOf.delete(event.process);
    if (event.type === 'info') return retire(open, event.value);
    open.output = codec.output(open.input, { type: event.type, value: event.value, error: event.error });
    open.return = time;
  });
  for (const open of openOf.values()) retire(open, null);
  return ops.map((op) => ({ clientId: op.clientId, input: op.input, call: op.call, output: op.output as Output, return: op.return }));
}

const bigintText = /^-?[0-9]+n$/;
const escapedText = /^~+-?[0-9]+n$/;

/** One event per line, bigint-safe (see the header). */
export function stringifyJepsen(events: readonly JepsenEvent[]): string {
  const replacer = (_key: string, value: unknown): unknown => {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'string' && (bigintText.test(value) || escapedText.test(value))) return '~' + value;
    return value;
  };
  if (events.length === 0) return '[]\n';
  return '[\n' + events.map((e) => JSON.stringify(e, replacer)).join(',\n') + '\n]\n';
}

export function parseJepsen(text: string): JepsenEvent[] {
  const reviver = (_key: string, value: unknown): unknown => {
    if (typeof value !== 'string') return value;
    if (bigintText.test(value)) return BigInt(value.slice(0, -1));
    if (escapedText.test(value)) return value.slice(1);
    return value;
  };
  const parsed: unknown = JSON.parse(text, reviver);
  assert(Array.isArray(parsed), 'a Jepsen history is a JSON array');
  return parsed.map((raw, i) => {
    const e = raw as Partial<JepsenEvent>;
    assert(typeof e === 'object' && e !== null, `event ${i} is not an object`);
    assert(e.type === 'invoke' || e.type === 'ok' || e.type === 'fail' || e.type === 'info', `event ${i}: type ${String(e.type)}`);
    assert(typeof e.f === 'string', `event ${i}: f is not a string`);
    return e as JepsenEvent;
  });
}

export function exportJepsenJson<Input, Output>(
  history: readonly Operation<Input, Output>[],
  codec: JepsenCodec<Input, Output>,
): string {
  return stringifyJepsen(toJepsenEvents(history, codec));
}

export function importJepsenJson<Input, Output>(text: string, codec: JepsenCodec<Input, Output>): Operation<Input, Output>[] {
  return fromJepsenEvents(parseJepsen(text), codec);
}

/** Knossos's cas-register shape: read nil|v, write v, cas [from to]. */
export const registerJepsenCodec: JepsenCodec<RegisterInput, RegisterOutput> = {
  f: (input) => input.type,
  invokeValue(input) {
    switch (input.type) {
      case 'read':
        return null;
      case 'write':
        return input.value;
      case 'cas':
        return [input.from, input.to];
      default:
        return assertNever(input, 'register input');
    }
  },
  completion(input, output) {
    if (output.type === 'unknown') return { type: 'info', value: null };
    const value = input.type === 'read' && output.type === 'ok' ? (output.value ?? null) : registerJepsenCodec.invokeValue(input);
    return { type: output.type, value };
  },
  input(f, value) {
    if (f === 'read') return { type: 'read' };
    if (f === 'write' && typeof value === 'number') return { type: 'write', value };
    const pair = value as unknown[];
    assert(f === 'cas' && Array.isArray(pair) && pair.length === 2, `not a register operation: ${f}`);
    return { type: 'cas', from: Number(pair[0]), to: Number(pair[1]) };
  },
  output(input, completion) {
    if (completion.type === 'info') return { type: 'unknown' };
    if (completion.type === 'fail') return { type: 'fail' };
    return input.type === 'read' ? { type: 'ok', value: completion.value as number | null } : { type: 'ok' };
  },
};

/** ZooKeeper operations: f is the operation, value its arguments; fail carries the error code. */
export const zkJepsenCodec: JepsenCodec<ZkInput, ZkOutput> = {
  f: (input) => input.type,
  invokeValue(input) {
    const { type: _type, ...args } = input;
    return args;
  },
  completion(input, output) {
    if (output.type === 'unknown') return { type: 'info', value: null };
    if (output.type === 'error') return { type: 'fail', value: zkJepsenCodec.invokeValue(input), error: output.code };
    return { type: 'ok', value: output };
  },
  input(f, value) {
    assert(['create', 'setData', 'delete', 'getData', 'exists', 'getChildren'].includes(f), `not a zk operation: ${f}`);
    return { ...(value as object), type: f } as ZkInput;
  },
  output(_input, completion) {
    if (completion.type === 'info') return { type: 'unknown' };
    if (completion.type === 'fail') return { type: 'error', code: completion.error as ZkErrorCode };
    const output = completion.value as ZkOutput;
    assert(typeof output === 'object' && output !== null && typeof output.type === 'string', 'zk ok value');
    return output;
  },
};
