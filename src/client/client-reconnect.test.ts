/**
 * When the client tries its next server (ClientCnxn.SendThread + StaticHostProvider, 3.8.0):
 *   - no pause before any attempt until a connection was once made (isFirstConnect);
 *   - after that, a random 0-999 ms before every attempt;
 *   - plus 1 s when the next host is the one it last connected to (a whole round failed);
 *   - a refused connection costs nothing more: the next attempt follows those pauses.
 */
import { describe, expect, it } from 'vitest';
import { sessionPassword } from '../engine/util/java-random.ts';
import { ClientSession } from './client-session.ts';

class Host {
  now = 0;
  readonly opens: { at: number; address: string; connection: number }[] = [];
  constructor(readonly session: ClientSession) {
    this.collect();
  }

  collect(): void {
    for (const o of this.session.ready().open) this.opens.push({ at: this.now, address: o.address, connection: o.connection });
  }

  /** answer the newest open: refused, or accepted and the session established */
  answer(accept: boolean): void {
    const o = this.opens[this.opens.length - 1];
    if (!accept) this.session.step({ type: 'transportDown', connection: o.connection });
    else {
      this.session.step({ type: 'transportUp', connection: o.connection });
      this.session.step({ type: 'packet', connection: o.connection, packet: { type: 'connected', resp: { protocolVersion: 0, timeOut: 30_000, sessionId: 5n, passwd: sessionPassword(5n), readOnly: false } } });
    }
    this.collect();
  }

  /** time passes until the next open (bounded) */
  waitForOpen(): { at: number; address: string } {
    const before = this.opens.length;
    this.session.step({ type: 'tick', nowMs: this.now });
    this.collect();
    for (let i = 0; i < 10_000 && this.opens.length === before; i++) {
      this.now = Math.max(this.now + 1, Math.min(this.session.nextDeadline(), this.now + 100));
      this.session.step({ type: 'tick', nowMs: this.now });
      this.collect();
    }
    expect(this.opens.length).toBe(before + 1);
    return this.opens[this.opens.length - 1];
  }

  breakConnection(): void {
    this.session.step({ type: 'transportDown', connection: this.opens[this.opens.length - 1].connection });
    this.collect();
  }
}

const hosts = '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183';

describe('client reconnect pauses', () => {
  it('tries every server at once before any connection was made', () => {
    const h = new Host(new ClientSession(hosts, { sessionTimeout: 30_000, random: () => 0.5, shuffleHosts: false }, 0));
    expect(h.opens.map((o) => [o.at, o.address])).toEqual([[0, '127.0.0.1:2181']]);
    h.answer(false);
    expect(h.waitForOpen()).toMatchObject({ at: 0, address: '127.0.0.1:2182' });
    h.answer(false);
    expect(h.waitForOpen()).toMatchObject({ at: 0, address: '127.0.0.1:2183' });
    h.answer(false);
    // the round wraps to 2181 (StaticHostProvider's lastIndex starts at 0): the 1 s spin only
    expect(h.waitForOpen()).toMatchObject({ at: 1000, address: '127.0.0.1:2181' });
  });

  it('after a loss: a random pause before each attempt, plus 1 s when it comes round to the last server', () => {
    const draws = [0.25, 0.5, 0.75];
    const h = new Host(new ClientSession(hosts, { sessionTimeout: 30_000, random: () => draws.shift() ?? 0, shuffleHosts: false }, 0));
    h.answer(true);
    expect(h.session.state).toBe('CONNECTED');
    h.now = 10_000;
    h.session.step({ type: 'tick', nowMs: h.now });
    h.breakConnection();
    expect(h.waitForOpen()).toMatchObject({ at: 10_250, address: '127.0.0.1:2182' });
    h.answer(false); // refused at once: the next attempt after the next random pause
    expect(h.waitForOpen()).toMatchObject({ at: 10_750, address: '127.0.0.1:2183' });
    h.answer(false);
    // next is 2181, where it was last connected: 1 s spin, then the random pause
    expect(h.waitForOpen()).toMatchObject({ at: 10_750 + 1000 + 750, address: '127.0.0.1:2181' });
  });
});
