import { describe, expect, it } from 'vitest';
import type { PlaygroundEvent } from '../../runtime/playground/api.ts';
import { InProcessRuntime } from '../runtime/in-process-runtime.ts';
import { zooCfgFor } from '../runtime/zoo-cfg-lite.ts';
import { createPlaygroundStore } from './store.ts';

function logs(from: number, to: number, tag: string): PlaygroundEvent[] {
  const out: PlaygroundEvent[] = [];
  for (let seq = from; seq < to; seq++) out.push({ type: 'log', sid: 1, text: `${tag} ${seq}`, seq, t: seq });
  return out;
}

describe('the store after a rewind of a bounded trace', () => {
  it('takes a stream that goes back (not to seq 0) as a new run', () => {
    const runtime = new InProcessRuntime();
    const store = createPlaygroundStore(runtime, { zooCfg: zooCfgFor(3), seed: 1, mode: 'lockstep' });
    store.getState().applyFrame(logs(100, 200, 'first'), []);
    expect(store.getState().vm.lastSeq).toBe(199);
    // a rewind republishes the kept trace, from its oldest kept event
    store.getState().applyFrame(logs(100, 150, 'rewound'), []);
    const vm = store.getState().vm;
    expect(vm.lastSeq).toBe(149);
    expect(vm.log.every((l) => l.text.startsWith('rewound'))).toBe(true);
    // fresh events after it append as usual
    store.getState().applyFrame(logs(150, 160, 'next'), []);
    expect(store.getState().vm.lastSeq).toBe(159);
    expect(store.getState().vm.log.some((l) => l.text.startsWith('rewound'))).toBe(true);
    runtime.dispose();
  });
});
