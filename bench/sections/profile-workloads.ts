/** Single workloads for `node --cpu-prof` (bench/child/profile-target.ts). Returns ops done. */
import { openAclUnsafe } from '../../src/engine/protocol/records.ts';
import { runSeed } from '../../src/runtime/sim/fault-sim.ts';
import { dirPaths, leafPaths, payload, shapeFor, shuffled } from '../lib/tree-fixture.ts';
import { dataTreeRun, PipelineHost } from './engine.ts';
import { ensembleRun } from './simulator.ts';

export const profileWorkloads: Record<string, () => number> = {
  'ensemble-create': () => {
    ensembleRun('follower', 10_000, 1000);
    return 30_000;
  },
  'pipeline-create': () => {
    const host = new PipelineHost();
    host.run([{ type: 'create', path: '/p', data: null, acl: openAclUnsafe, mode: 0, ttl: -1 }], 1);
    host.run(Array.from({ length: 100_000 }, (_, i) => ({ type: 'create', path: `/p/n${i}`, data: payload(i), acl: openAclUnsafe, mode: 0, ttl: -1 })), 1000);
    return 100_000;
  },
  seeds: () => {
    for (let s = 1; s <= 100; s++) runSeed({ seed: s, durationMs: 10_000, servers: 3 });
    return 100;
  },
};

/** The data-tree pass of the engine section (create, setData, getData, getChildren on 100k znodes). */
profileWorkloads['data-tree'] = () => {
  const shape = shapeFor(100_000);
  const leaves = leafPaths(shape);
  for (let r = 0; r < 3; r++) dataTreeRun(shape, leaves, shuffled(leaves), dirPaths(shape));
  return 3 * 4 * leaves.length;
};
