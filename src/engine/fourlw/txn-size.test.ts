/** Proposal sizes against the golden leader's `Proposal sizes last/min/max: 104/48/104`. */
import { describe, expect, it } from 'vitest';
import { proposalBytes } from './txn-size.ts';

const worldAnyone = [{ perms: 31, id: { scheme: 'world', id: 'anyone' } }];

describe('proposal sizes', () => {
  it('a createSession proposal is 48 bytes', () => {
    expect(proposalBytes({ type: 'createSession', timeOut: 10000 }, false)).toBe(48);
  });

  it('an ephemeral create of /app/lock-0000000001 with no data is 104 bytes', () => {
    const txn = { type: 'create' as const, path: '/app/lock-0000000001', data: new Uint8Array(0), acl: worldAnyone, ephemeralOwner: 0x100002023660000n, parentCVersion: 1 };
    expect(proposalBytes(txn, false)).toBe(104);
  });
});
