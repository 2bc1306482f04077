import { describe, expect, it } from 'vitest';
import { Rng } from '../../engine/util/rng.ts';
import { BrowserPlayground } from '../playground/browser-playground.ts';
import { inProcessLiveWorkers } from './in-process-live.ts';
import { MemoryDisk } from '../storage/memory-disk.ts';

const zooCfg = 'tickTime=2000\ninitLimit=10\nsyncLimit=5\nserver.1=127.0.0.1:2888:3888\nserver.2=127.0.0.1:2889:3889\nserver.3=127.0.0.1:2890:3890\n';
const connectString = '127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183';
const closed = '\nWATCHER::\n\nWatchedEvent state:Closed type:None path:null\n';
const connected = '\nWATCHER::\n\nWatchedEvent state:SyncConnected type:None path:null\n';

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
  return cond();
}

/** A live 3-server run (in-process workers, 10x) and a console connected to it; `out()` is what it printed. */
async function connectedConsole(seed: number): Promise<{ pg: BrowserPlayground; c: ReturnType<BrowserPlayground['openConsole']>; out: () => string }> {
  const rng = new Rng(seed);
  const pg = new BrowserPlayground({ liveWorkers: inProcessLiveWorkers(() => rng.next(), new Map<number, MemoryDisk>()) });
  await pg.start({ zooCfg, seed, mode: 'live' });
  pg.setSpeed(10);
  let text = '';
  const c = pg.openConsole('c1', connectString);
  c.onOutput((t) => {
    text += t;
  });
  expect(await waitFor(() => text.includes('SyncConnected'), 10_000)).toBe(true);
  return { pg, c, out: () => text };
}

/** The browser console runs the terminal's zkCli: `close` and `connect` as in golden connect_close / connect_string_errors. */
describe('browser console: close and connect', () => {
  it('prints Closed when it closes a session, and dies of a bad connect string after closing', async () => {
    const { pg, c, out } = await connectedConsole(7);
    c.submit('close');
    c.submit('ls /');
    c.submit('connect 127.0.0.1:2181');
    c.submit('ls /');
    c.submit('connect 127.0.0.1:2181/a/');
    c.submit('ls /');
    expect(await waitFor(() => out().includes('Exception in thread'), 10_000)).toBe(true);
    await c.idle();
    const afterFirst = out().slice(out().indexOf(connected) + connected.length);
    expect(afterFirst.startsWith(`${closed}Not connected\n`)).toBe(true);
    expect(afterFirst).toContain(`${connected}[zookeeper]\n${closed}Exception in thread "main" java.lang.IllegalArgumentException: Path must not end with / character\n`);
    expect(afterFirst).toContain('\tat org.apache.zookeeper.client.ConnectStringParser.<init>(ConnectStringParser.java:61)\n');
    // zkCli is gone: the last `ls /` never ran
    expect(afterFirst.endsWith('(ZooKeeperMain.java:293)\n')).toBe(true);
    pg.shutdown();
  });

  it('expands JLine event designators, and drops a line whose event is not found', async () => {
    const { pg, c, out } = await connectedConsole(8);
    c.submit('create /x a!b');
    c.submit('ls /');
    c.submit('!!');
    await c.idle();
    expect(out()).toContain('[ERROR] Could not expand event\njava.lang.IllegalArgumentException: !b: event not found\n');
    expect(out()).toContain('[zookeeper]\nls /\n[zookeeper]\n');
    pg.shutdown();
  });
});
