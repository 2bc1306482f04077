import { describe, expect, it } from 'vitest';
import { MemoryDisk } from '../storage/memory-disk.ts';
import { ServerHost, type HostInput } from './server-host.ts';

const config = { sid: 2, voters: [1, 2, 3], observers: [], tickTime: 2000, initLimit: 10, syncLimit: 5, idBase: 2_000_000 };
const connect = (id: number, from: number, conn: number): HostInput => ({ type: 'wire', env: { id, from, to: 2, sentAt: 0, wire: { type: 'connect', conn } } });

describe('ServerHost: what it reports of the wires it takes in', () => {
  it('one messageDelivered per run of wires, before what handling them did; a lost wire is dropped in its place', () => {
    const host = new ServerHost(config, new MemoryDisk(), 0);
    host.output();
    const out = host.handle([
      connect(11, 1, 70),
      connect(12, 3, 71), // server 3 is down (below): lost
      connect(13, 1, 72),
      { type: 'net', net: { down: [], cut: [] } },
      connect(14, 3, 73),
    ], 1);
    // before the net input server 3 counted as up: nothing is lost yet (the host starts with no net state)
    const fates = out.events.filter((e) => e.type === 'messageDelivered' || e.type === 'messageDropped');
    expect(fates.map((e) => (e.type === 'messageDelivered' ? [e.type, ...e.msgIds] : [e.type, e.msgId]))).toEqual([['messageDelivered', 11, 12, 13], ['messageDelivered', 14]]);
    // the batch's delivery comes before the sends it caused (a LOOKING server refuses each connection)
    expect(out.sent.filter((e) => e.wire.type === 'close').map((e) => e.wire)).toEqual([70, 71, 72, 73].map((conn) => ({ type: 'close', conn })));
    const at = (text: string): number => out.events.findIndex((e) => e.type === 'messageSent' && e.text === text);
    const delivered = out.events.findIndex((e) => e.type === 'messageDelivered');
    expect(delivered).toBeGreaterThanOrEqual(0);
    expect(delivered).toBeLessThan(at('close (connection 70)'));
    expect(at('close (connection 70)')).toBeLessThan(at('close (connection 72)'));

    host.handle([{ type: 'net', net: { down: [3], cut: [] } }], 2);
    const later = host.handle([connect(15, 3, 74), connect(16, 1, 75), connect(17, 3, 76)], 3);
    const laterFates = later.events.filter((e) => e.type === 'messageDelivered' || e.type === 'messageDropped');
    expect(laterFates.map((e) => (e.type === 'messageDelivered' ? [e.type, ...e.msgIds] : [e.type, e.msgId]))).toEqual([['messageDelivered', 16], ['messageDropped', 15], ['messageDropped', 17]]);
  });
});
