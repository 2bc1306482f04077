/**
 * Section "memory": heap of one server holding 100,000 znodes of 100 bytes, measured in a
 * fresh Node process after forced GC: a standalone ZkServer fed through its pipeline, the
 * DataTree alone, and the floor (a Map of the same paths to the same bytes). The server worker
 * in the browser runs the same engine; its own figure is in the "browser" section.
 */
import { atMost, type Figure, type Section, type SectionOptions } from '../lib/figure.ts';
import { runChild } from '../lib/child.ts';
import { median } from '../lib/stats.ts';

const section = 'memory';
export const serverHeapMaxMb = 64;
const mb = (b: number): number => b / 2 ** 20;

interface HeapResult {
  znodes: number;
  mapBytes: number;
  treeBytes: number;
  serverBytes: number;
}

export const memorySection: Section = {
  name: 'memory',
  title: 'Memory (one server with 100,000 znodes of 100 bytes)',
  async run(opts: SectionOptions): Promise<Figure[]> {
    const runs: HeapResult[] = [];
    for (let i = 0; i < (opts.quick ? 1 : 3); i++) runs.push(await runChild<HeapResult>('heap-server.ts', ['--znodes', '100000']));
    const server = median(runs.map((r) => mb(r.serverBytes)));
    const tree = median(runs.map((r) => mb(r.treeBytes)));
    const floor = median(runs.map((r) => mb(r.mapBytes)));
    const baseline = { name: 'Map path -> 100 B (floor)', value: floor, unit: 'MB' };
    return [
      {
        section, name: 'heap of a standalone ZkServer, 100k znodes (Node)', value: server, unit: 'MB', baseline,
        target: `< ${serverHeapMaxMb} MB`, status: atMost(server, serverHeapMaxMb),
        note: `${runs[0].znodes} znodes created through the request pipeline; fresh process, forced GC; median of ${runs.length}`,
        samples: runs.map((r) => mb(r.serverBytes)),
      },
      { section, name: 'heap of the DataTree alone, 100k znodes (Node)', value: tree, unit: 'MB', baseline, status: 'info', samples: runs.map((r) => mb(r.treeBytes)) },
    ];
  },
};
