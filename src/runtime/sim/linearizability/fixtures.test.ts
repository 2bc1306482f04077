// The public histories with known verdicts (../shared/reference/linearizability-data/README.md).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkEvents } from './checker.ts';
import { parseEtcdLog, parseKvLog } from './fixture-parsers.ts';
import { kvModel, kvWholeModel } from './kv-model.ts';
import { registerModel } from './register-model.ts';

const dataDir = fileURLToPath(new URL('../../../../test/fixtures/linearizability-data/', import.meta.url));

// From the README: etcd_NNN → linearizable? (095 has no verdict: that run failed to start).
const etcdLinearizable = new Set([2, 5, 7, 18, 25, 31, 38, 45, 48, 49, 51, 53, 56, 67, 75, 76, 80, 87, 92, 98, 100, 101, 102]);
const etcdRuns = Array.from({ length: 103 }, (_v, i) => i).filter((i) => i !== 95);

function read(relative: string): string {
  return readFileSync(dataDir + relative, 'utf8');
}

describe('fixtures: Jepsen etcd cas-register logs', () => {
  it.each(etcdRuns)('etcd_%i has the expected verdict', (run) => {
    const name = `jepsen/etcd_${String(run).padStart(3, '0')}.log`;
    const events = parseEtcdLog(read(name));
    expect(events.length).toBeGreaterThan(100);
    const check = checkEvents(registerModel, events, { unknownOutput: { type: 'unknown' } });
    expect(check.result).toBe(etcdLinearizable.has(run) ? 'ok' : 'illegal');
  });
});

describe('fixtures: Jepsen kv histories', () => {
  const cases = ['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad', 'c50-ok', 'c50-bad'];

  it.each(cases)('%s, partitioned by key', (name) => {
    const events = parseKvLog(read(`kv/${name}.txt`));
    const check = checkEvents(kvModel, events, { unknownOutput: { type: 'unknown' } });
    expect(check.result).toBe(name.endsWith('-ok') ? 'ok' : 'illegal');
    expect(check.partitions.length).toBeGreaterThan(1);
  });

  // The whole-store model must agree with the partitioned one (it explores products of the
  // keys' states, so only the small histories are checked whole).
  it.each(['c01-ok', 'c01-bad', 'c10-ok', 'c10-bad'])('%s, whole store, same verdict', (name) => {
    const events = parseKvLog(read(`kv/${name}.txt`));
    const check = checkEvents(kvWholeModel, events, { unknownOutput: { type: 'unknown' } });
    expect(check.result).toBe(name.endsWith('-ok') ? 'ok' : 'illegal');
    expect(check.partitions.length).toBe(1);
  });
});
