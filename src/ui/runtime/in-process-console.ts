/**
 * A zkCli console over the in-process ensemble: the real zkCli (src/zkcli) driven by the
 * runtime's CliSession host, so prompts, output and WATCHER:: blocks are zkCli's own text.
 * A call blocks the simulated world until its reply, as zkCli blocks on a synchronous call.
 */
import type { ClientSession } from '../../client/client-session.ts';
import { completeCommand } from '../../zkcli/zkcli-main.ts';
import type { ConsoleHandle } from '../../runtime/playground/api.ts';
import { CliSession } from '../../runtime/node/cli-session.ts';
import type { Ensemble } from '../../runtime/sim/ensemble.ts';

type OutputListener = (text: string, stream: 'out' | 'err') => void;

export class InProcessConsole implements ConsoleHandle {
  private readonly listeners = new Set<OutputListener>();
  private readonly cli: CliSession;
  private closed = false;

  constructor(
    readonly name: string,
    ens: Ensemble,
    readonly connectString: string,
    private readonly afterRun: () => void,
    private readonly onLine: (line: string) => void,
    private readonly onClose: (c: InProcessConsole) => void,
  ) {
    const out = (t: string): void => this.write(t, 'out');
    const err = (t: string): void => this.write(t, 'err');
    this.cli = new CliSession(ens.world, ['-server', connectString], { out, err }, () => ens.rng.next());
    this.cli.start();
    this.afterRun();
  }

  /** output printed before anyone listened (zkCli's "Connecting to ..." at start) */
  private early: [string, 'out' | 'err'][] | null = [];

  private write(text: string, stream: 'out' | 'err'): void {
    if (this.early) this.early.push([text, stream]);
    for (const l of this.listeners) l(text, stream);
  }

  /**
   * Which server the session is on now (not in the contract yet: README-contract.md). Read
   * from the client session CliSession owns.
   */
  connection(): { address: string | null; sessionId: bigint; state: string } {
    const session = (this.cli as unknown as { session: ClientSession | null }).session;
    if (!session || this.closed) return { address: null, sessionId: 0n, state: 'CLOSED' };
    return { address: session.state === 'CONNECTED' ? session.currentHost() : null, sessionId: session.sessionId, state: session.state };
  }

  prompt(): string {
    return this.closed ? '' : this.cli.prompt();
  }

  submit(line: string): void {
    if (this.closed) return;
    this.onLine(line);
    try {
      const r = this.cli.executeLine(line);
      if (r.kind !== 'done') this.close();
    } catch (e) {
      this.write(`${e instanceof Error ? e.message : String(e)}\n`, 'err');
    }
    this.afterRun();
  }

  async complete(line: string): Promise<string[]> {
    if (this.closed) return [];
    const lastSpace = line.lastIndexOf(' ');
    const token = line.slice(lastSpace + 1);
    if (token.startsWith('/')) {
      const slash = token.lastIndexOf('/');
      const dir = slash === 0 ? '/' : token.slice(0, slash);
      const prefix = token.slice(slash + 1);
      const children = this.cli.listChildren(dir).filter((c) => c.startsWith(prefix)).sort();
      this.afterRun();
      return children;
    }
    if (lastSpace >= 0) return [];
    return completeCommand(token);
  }

  onOutput(listener: OutputListener): () => void {
    this.listeners.add(listener);
    if (this.early) {
      for (const [t, st] of this.early) listener(t, st);
      this.early = null;
    }
    return () => this.listeners.delete(listener);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.cli.exit();
    this.onClose(this);
  }
}
