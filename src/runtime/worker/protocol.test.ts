import { describe, expect, it } from 'vitest';
import { AssertionError } from '../../engine/util/assert.ts';
import { packTexts, unpackTexts } from './protocol.ts';

describe('live output texts (packTexts / unpackTexts)', () => {
  const proposal = `PROPOSAL 0x100000002 0x100000002 session=0x19b76daa8000000 cxid=1 create /p0 "${'a'.repeat(32)}..." owner=0x0 parentCVersion=1`;
  const events = (): object[] => [
    { type: 'messageDelivered', msgId: 7, t: 1 },
    { type: 'proposed', sid: 3, zxid: 0x100000002n, text: proposal, t: 1 },
    { type: 'messageSent', msgId: 8, link: 'quorum', kind: 'proposal', from: 3, to: 1, text: proposal, t: 1 },
    { type: 'messageSent', msgId: 9, link: 'quorum', kind: 'proposal', from: 3, to: 2, text: `${proposal}`, t: 1 },
    { type: 'applied', sid: 3, zxid: 0x100000002n, text: proposal.slice(9), t: 2 },
    { type: 'log', sid: 3, text: '', t: 2 },
    { type: 'messageSent', msgId: 10, link: 'quorum', kind: 'commit', from: 3, to: 1, text: 'COMMIT 0x100000002', t: 2 },
  ];

  it('sends each distinct text once and gives every event its text back, through a structured clone', () => {
    const sent = events();
    const texts = packTexts(sent);
    expect(texts).toEqual([proposal, proposal.slice(9), '', 'COMMIT 0x100000002']);
    const received = structuredClone({ events: sent, texts });
    unpackTexts(received.events, received.texts);
    expect(received.events).toEqual(events());
  });

  it('leaves an output without texts as it is', () => {
    const plain = [{ type: 'messageDelivered', msgId: 1, t: 0 }, { type: 'acked', sid: 1, from: 2, zxid: 5n, t: 0 }];
    expect(packTexts(plain)).toEqual([]);
    unpackTexts(plain, []);
    expect(plain).toEqual([{ type: 'messageDelivered', msgId: 1, t: 0 }, { type: 'acked', sid: 1, from: 2, zxid: 5n, t: 0 }]);
  });

  it('refuses an index outside the table (a bug in the worker)', () => {
    expect(() => unpackTexts([{ type: 'log', sid: 1, text: 2, t: 0 }], ['a', 'b'])).toThrow(AssertionError);
    expect(() => unpackTexts([{ type: 'log', sid: 1, text: -1, t: 0 }], ['a'])).toThrow(AssertionError);
    expect(() => unpackTexts([{ type: 'log', sid: 1, text: 0.5, t: 0 }], ['a'])).toThrow(AssertionError);
  });
});
