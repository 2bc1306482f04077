/**
 * The contract between the playground runtime (servers in Web Workers, the conductor on the
 * main thread) and whoever shows or drives it (the React UI, the browser tests, the benches).
 *
 * One versioned union of events flows out (`PlaygroundEvent`), status snapshots per server
 * flow out (`ServerStatus`), and intents flow in (the methods of `PlaygroundRuntime`). The UI
 * shows only what arrives here (DESIGN.md decision 11): it never guesses protocol state.
 *
 * Every event carries the virtual time at which the engine did it and the `describe*` text the
 * engine printed for it, so tooltips, logs and the timeline all show the same words.
 *
 * Owner: the browser runtime (src/runtime/worker, src/runtime/conductor). Change it freely,
 * but keep the UI compiling and bump `playgroundProtocolVersion` when a shape changes.
 *
 * The implementation: `BrowserPlayground` (src/runtime/playground/browser-playground.ts), one
 * Web Worker per server; `new BrowserPlayground()` is all a UI needs. Runs as data (JSON, share
 * links): src/runtime/playground/run-record.ts.
 *
 * Changes since the draft (additive; version 2 since run records carry live schedules):
 *   - endpoints: `from`/`to` of messages are server ids 1..N, or a client: `clientEndpointBase + n`
 *     (client n, from 1) — client<->server packets are messages too (link 'client')
 *   - msgIds are unique within a run (each server incarnation numbers from its own base)
 *   - a message's `messageSent` comes before its `messageDelivered`/`messageDropped` in both
 *     modes (live: workers report concurrently, and the runtime holds a fate reported early
 *     until its sent arrives, conductor/live-trace.ts); in lockstep the stream is in causal order
 *   - live workers post their trace once per task (a batch may cover many handled messages),
 *     a task after the wires it describes
 *   - `connectionBroken.a/b` are the two ends; for a client connection one end is a client endpoint
 *   - `persisted.zxid` for acceptedEpoch/currentEpoch is the epoch << 32 (the epoch's first zxid)
 *   - optional methods on PlaygroundRuntime: now, step, runFor, describeTree, replay,
 *     traceHash; optional `connection()` and `idle()` on ConsoleHandle
 *   - RunConfig.initiallyDown: servers left down at start (lessons start them one by one)
 *   - a live run keeps its last 300k-400k events (liveEventsMax), and at most ~64 MiB of them
 *     (liveEventBytesMax, estimated per event); seq keeps counting; so does a lockstep run
 *     (lockstepEventsMax), whose trace hash still covers every event (SHA-1 folded event by
 *     event); after a rewind the trace is published again from its oldest kept event: a stream
 *     that starts at seq 0 or goes back is a new run
 *   - a down server's status keeps the epochs and zxids it had (what its dataDir brings back)
 *   - message text comes from describeWire/describeQuorumPacket (src/runtime/worker/wire.ts):
 *     import those to print a message the same way
 *   - deliver(msgId) on a FIFO link (a quorum or client connection) delivers the oldest message
 *     of that connection and direction first, as TCP would; drop(msgId) there breaks the
 *     connection (every message in flight on it is dropped, both ends see it close)
 *   - inFlight() in live mode: messages sent and not yet reported delivered or dropped
 *   - `persisted.flushed`: false when a live worker appended and will fsync in its next task
 *     (group commit), then a second event with true; lockstep fsyncs every Ready at once.
 *     Version 3: a live worker reports each once per run: `false` in the place of the task's
 *     first append, its zxid the last appended; `true` once for every flush the task completed.
 *     A `persisted` of txns covers every txn up to its zxid
 *   - rewind restores a checkpoint and replays the actions after it (DESIGN.md 9): the
 *     conductor checkpoints the run every 100 actions (checkpointEveryDefault): each server's
 *     whole state from its worker, its dataDir's bytes, client sessions, consoles between
 *     commands. At most 64 are kept, thinned to even spacing, ~300k objects (~100 MB) in all;
 *     a big state is checkpointed less often (an action per 50 of its objects, estimated from
 *     the servers' znode counts first) and one over the budget not at all (rewind then replays
 *     from an older checkpoint or the start). So a rewind replays about run/64 + the interval
 *     actions at most. Measured on a 5,000-step run with a console writing (two runs, load
 *     12-18 on 2 cores; bench/rewind.ts, bench/rewind-browser.ts): Chromium with workers,
 *     rewind to 90% 1.2-2.3 s by full replay -> 44-49 ms from a checkpoint (33 actions
 *     replayed), to 10% ~380 ms -> 44-57 ms; Node in-process 300-440 ms -> 2-3 ms and 41-48 ms
 *     -> 2-3 ms. A checkpoint is ~80 KB for three lesson-sized servers and takes ~2.5 ms in
 *     Node (no difference measurable in Chromium's run time). `lastRewind` says what the last
 *     rewind did.
 *   - version 2: a live run's record carries its schedule (`RunRecord.live`, exportRunExact):
 *     replay() gives the same run (checked against its trace-stream hash, replayCheck()), then
 *     the run goes on in lockstep; without one (`inexact`: why) it replays its actions in
 *     lockstep, a different run, and says so. Version 1 records (lockstep) still load
 *   - version 3: `messageDelivered` carries `msgIds`, every message one receiver took in at
 *     once (a live worker's batch of wires, the page's clients' batch from one server; one id
 *     in lockstep), before what handling them did; one `proposed` per proposal (it was one per
 *     follower it went to); live `persisted` once per run of appends and once per group commit
 *     (above). A pipelined create via a follower went from 34 events to 22 (bench/README.md,
 *     fix 32). Version 2 records load with their actions only (a live schedule's hash covers
 *     the events of its version): `inexact` says so
 *   - action `complete NAME LINE`: a console's tab completion (its calls are run traffic)
 *   - watch events: `removed` when a watch leaves a server's table unfired (removeWatches, the
 *     connection or session closing); optional `table` ('data' | 'child') and `mode`
 *   - RunAction.action grammar (what exportRun records and replay understands):
 *       deliver [id] | drop id | delay id ms | advance | kill n | restart n | heal
 *       pump (client traffic entering the run: what consoles sent since the last step)
 *       partition a,b|c (both ways) | partition> a|b,c (one way: from the first group)
 *       open NAME CONNECTSTRING (a console) | close NAME (its pane closed) | NAME> zkCli line
 *       | client n connect ... (informational)
 *       bulk PARENT COUNT BATCH WINDOW CONNECTSTRING | bulkcancel (bulkCreate and its cancel)
 *   - startServers(sids) (was an extra of both runtimes), runUntil (lockstep), bulkCreate
 *   - ZnodeView.acl is zkCli's getAcl text (was "world:anyone:31")
 *   - watch `registered` events carry the session id of the connection that set the watch
 *   - ServerStatus.treeDigestZxid: the zxid the digest belongs to; treeDigest is ZooKeeper's own digest
 */
import type { Sid, Zxid } from '../../engine/protocol/ids.ts';
import type { WatcherMode, WatchTable } from '../../engine/watches/watch-manager.ts';
import type { LiveRunRecord } from '../worker/live-schedule.ts';

export const playgroundProtocolVersion = 3;

export type RunMode = 'live' | 'lockstep';

/** Message endpoints above this are clients: client n is `clientEndpointBase + n`. */
export const clientEndpointBase = 1000;

export function isClientEndpoint(endpoint: number): boolean {
  return endpoint > clientEndpointBase;
}

/** "server 2" or "client 1" */
export function endpointName(endpoint: number): string {
  return isClientEndpoint(endpoint) ? `client ${endpoint - clientEndpointBase}` : `server ${endpoint}`;
}
export type ServerRole = 'down' | 'looking' | 'leading' | 'following' | 'observing';
export type LinkKind = 'election' | 'quorum' | 'client';

/** What kind of message travels: colours in the cluster view, filters in the timeline. */
export type MessageKind =
  | 'notification'
  | 'discovery' // FOLLOWERINFO, OBSERVERINFO, LEADERINFO, ACKEPOCH
  | 'sync' // DIFF, TRUNC, SNAP, NEWLEADER, UPTODATE and the txns sent during sync
  | 'proposal'
  | 'ack'
  | 'commit' // COMMIT and INFORM
  | 'ping'
  | 'request' // REQUEST forwarded by a learner, REVALIDATE, SYNC
  | 'client'; // client requests and replies

export interface Vote {
  readonly leader: Sid;
  readonly zxid: Zxid;
  readonly peerEpoch: bigint;
  /** the sender's logicalclock (FLE round) */
  readonly round: number;
}

export interface ServerStatus {
  readonly sid: Sid;
  readonly role: ServerRole;
  /** 'election' | 'discovery' | 'synchronization' | 'broadcast' while up */
  readonly phase: string | null;
  readonly observer: boolean;
  readonly acceptedEpoch: bigint;
  readonly currentEpoch: bigint;
  readonly lastZxid: Zxid;
  readonly committedZxid: Zxid;
  /** this server's current FLE vote (what it proposes, or the decided leader) */
  readonly vote: Vote | null;
  readonly leader: Sid | null;
  /**
   * ZooKeeper's tree digest (DataTree.getTreeDigest, engine/datatree/digest.ts) as AdHash prints
   * it (hex): kept current by every txn, so two servers at the same committedZxid with different
   * digests hold different trees
   */
  readonly treeDigest: string;
  /** the zxid the digest belongs to: the server's committedZxid ('' digest: down) */
  readonly treeDigestZxid: Zxid;
  readonly znodeCount: number;
  readonly sessionCount: number;
  readonly watchCount: number;
  /** "127.0.0.1:2181" for server 1, and so on */
  readonly clientAddress: string;
}

interface EventBase {
  /** position in the run's event stream, from 0, without gaps */
  readonly seq: number;
  /** virtual ms since the Unix epoch */
  readonly t: number;
}

export type PlaygroundEvent = EventBase &
  (
    | { readonly type: 'messageSent'; readonly msgId: number; readonly link: LinkKind; readonly kind: MessageKind; readonly from: Sid; readonly to: Sid; readonly text: string }
    /** messages that reached their receiver at t, in the order it took them in (a live batch, or one) */
    | { readonly type: 'messageDelivered'; readonly msgIds: readonly number[] }
    | { readonly type: 'messageDropped'; readonly msgId: number }
    | { readonly type: 'connectionBroken'; readonly link: LinkKind; readonly a: Sid; readonly b: Sid }
    | { readonly type: 'roleChanged'; readonly sid: Sid; readonly role: ServerRole; readonly phase: string | null; readonly epoch: bigint }
    /** a server's vote changed or it received one; `recv` is its received-votes table (recvset) */
    | { readonly type: 'vote'; readonly sid: Sid; readonly vote: Vote; readonly recv: readonly { readonly from: Sid; readonly vote: Vote; readonly state: string }[]; readonly text: string }
    | { readonly type: 'proposed'; readonly sid: Sid; readonly zxid: Zxid; readonly text: string }
    | { readonly type: 'acked'; readonly sid: Sid; readonly from: Sid; readonly zxid: Zxid }
    | { readonly type: 'committed'; readonly sid: Sid; readonly zxid: Zxid }
    | { readonly type: 'applied'; readonly sid: Sid; readonly zxid: Zxid; readonly text: string }
    | { readonly type: 'session'; readonly sid: Sid; readonly what: 'created' | 'expired' | 'closed' | 'moved'; readonly sessionId: bigint; readonly timeout?: number }
    /**
     * a watch entered a server's table, fired, or left it unfired (removeWatches, its connection
     * or session closing); `table` and `mode` say which watch (absent on SetWatches catch-up fires)
     */
    | { readonly type: 'watch'; readonly sid: Sid; readonly what: 'registered' | 'fired' | 'removed'; readonly sessionId: bigint; readonly path: string; readonly text: string; readonly table?: WatchTable; readonly mode?: WatcherMode }
    /**
     * a server's dataDir write: `flushed` false when it is written and not durable yet (a live
     * worker's append, or the in-process runtime's, whose flush is reported by a later flushed
     * event), true when durable (a group commit's fsync: every txn up to `zxid`); an epoch
     * file's zxid is its epoch << 32
     */
    | { readonly type: 'persisted'; readonly sid: Sid; readonly what: 'txns' | 'acceptedEpoch' | 'currentEpoch' | 'snapshot' | 'truncate'; readonly zxid: Zxid; readonly flushed: boolean }
    | { readonly type: 'fault'; readonly what: 'kill' | 'restart' | 'partition' | 'heal'; readonly text: string }
    | { readonly type: 'log'; readonly sid: Sid; readonly text: string }
  );

export interface InFlightMessage {
  readonly msgId: number;
  readonly link: LinkKind;
  readonly kind: MessageKind;
  readonly from: Sid;
  readonly to: Sid;
  readonly text: string;
  readonly sentAt: number;
}

export interface RunConfig {
  /** zoo.cfg text: tickTime, initLimit, syncLimit, server.N lines (participants and observers) */
  readonly zooCfg: string;
  readonly seed: number;
  readonly mode: RunMode;
  /** servers not started with the run (start them with `restart(sid)`); default none */
  readonly initiallyDown?: readonly Sid[];
}

/** One user action with the virtual time at which it happened: a run is config + actions. */
export interface RunAction {
  readonly t: number;
  readonly action: string; // scenario-language line, e.g. "kill 3", "partition 1,2 | 3", "c1> create /a x"
}

export interface RunRecord {
  readonly version: typeof playgroundProtocolVersion;
  readonly config: RunConfig;
  /**
   * a lockstep run: its action log; a live run: its user actions with their virtual times (with
   * `live`: their place in the schedule); a replayed live run continued in lockstep: the
   * lockstep actions after the replayed part
   */
  readonly actions: readonly RunAction[];
  /**
   * a live run's schedule (worker/live-schedule.ts): replay() gives the same run, checked
   * against its hash, then goes on in lockstep with `actions`
   */
  readonly live?: LiveRunRecord;
  /**
   * why a live run's record has no schedule (too long, a server's dataDir too big to include,
   * a worker that did not report): it replays its actions in lockstep, a different run
   */
  readonly inexact?: string;
}

/** What a replay of a run record gave. */
export interface ReplayCheck {
  /** exact: a live run's schedule replayed to its recorded hash */
  readonly exact: boolean;
  /** the recorded hash and the replay's (live records) */
  readonly expected: string | null;
  readonly got: string | null;
  /** why not exact (an inexact record, a divergence), else null */
  readonly reason: string | null;
}

/** A zkCli console attached to the ensemble (the UI's console panes). */
/** A console's place in its run's transcript (ConsoleHandle.mark). */
export interface TranscriptMark {
  /** outputs printed (each a call of the onOutput listeners) */
  readonly outputs: number;
  /** lines taken (typed or replayed) */
  readonly inputs: number;
}

export interface ConsoleHandle {
  readonly name: string;
  /** the prompt zkCli prints now, e.g. "[zk: 127.0.0.1:2181(CONNECTED) 0] " */
  prompt(): string;
  /** type one line; output (including later WATCHER:: blocks) arrives through onOutput */
  submit(line: string): void;
  /**
   * Tab completion as zkCli does it: candidates for the LAST token of the line (child names
   * after its last '/', or command names); the caller replaces that token
   */
  complete(line: string): Promise<string[]>;
  /** `ord`: the output's place in the console's transcript of this run (0, 1, ...; see mark) */
  onOutput(listener: (text: string, stream: 'out' | 'err', ord?: number) => void): () => void;
  /**
   * Where the console's transcript stands in the run: outputs printed and lines taken so far.
   * A rewind takes them back to the point the run went back to, and the run prints again from
   * there (the same outputs with the same `ord`); a pane that shows a transcript keeps what is
   * below both counts and drops what the rewind undid.
   */
  mark?(): TranscriptMark;
  close(): void;
  /** the session's state, id and the server it is connected to now */
  connection?(): { state: string; sessionId: bigint; address: string | null };
  /** resolves when every line submitted so far has finished */
  idle?(): Promise<void>;
}

export interface ZnodeView {
  readonly path: string;
  readonly data: Uint8Array;
  readonly stat: Record<string, string>; // the 11 fields, formatted as zkCli's `stat` prints them
  /** as zkCli's getAcl prints it: `'world,'anyone` then `: cdrwa`, one pair of lines per ACL */
  readonly acl: string;
  readonly children: readonly string[];
  readonly ephemeralOwner: bigint;
}

/** What `bulkCreate` makes: `count` persistent znodes under `parent` (created if missing). */
export interface BulkCreateOptions {
  readonly parent: string;
  readonly count: number;
  /** the client's connect string (which server the traffic enters at) */
  readonly connectString: string;
  /** creates per multi request (default 1000; at most bulkBatchMax) */
  readonly batch?: number;
  /** multis in flight at once (default 4) */
  readonly window?: number;
  /** each znode's data, as text (default empty) */
  readonly data?: string;
  readonly sessionTimeout?: number;
}

export interface BulkCreateProgress {
  readonly count: number;
  /** znodes created so far (in answered multis) */
  readonly created: number;
  /** multis answered ok */
  readonly multis: number;
  readonly done: boolean;
  readonly cancelled: boolean;
  /** why the job stopped early (a KeeperException code name and path, or bad options) */
  readonly error: string | null;
}

export interface BulkCreateHandle {
  progress(): BulkCreateProgress;
  onProgress(listener: (p: BulkCreateProgress) => void): () => void;
  /** stops sending; multis in flight finish (each is atomic) */
  cancel(): void;
  readonly done: Promise<BulkCreateProgress>;
}

export type ReplayConsoleEvent =
  | { readonly type: 'open'; readonly handle: ConsoleHandle; readonly connectString: string }
  | { readonly type: 'line'; readonly name: string; readonly line: string };

export interface PlaygroundRuntime {
  /** batches of events (in seq order) and the latest status of every server */
  subscribe(listener: (events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void): () => void;
  start(config: RunConfig): Promise<void>;
  reset(): Promise<void>;
  kill(sid: Sid): void;
  restart(sid: Sid): void;
  /** cut every link between the groups (oneWay: only from the first group to the others) */
  partition(groups: readonly (readonly Sid[])[], oneWay?: boolean): void;
  heal(): void;
  // live mode
  setSpeed(factor: number): void;
  pause(): void;
  resume(): void;
  // lockstep mode
  inFlight(): readonly InFlightMessage[];
  deliver(msgId?: number): Promise<void>;
  drop(msgId: number): Promise<void>;
  delay(msgId: number, ms: number): Promise<void>;
  advanceToNextTimeout(): Promise<void>;
  /** rewind to the state after event `seq` (restores a checkpoint and replays); later actions fork */
  rewind(seq: number): Promise<void>;
  exportRun(): RunRecord;
  /**
   * a live run's exact record: the workers' schedules brought up to date first (the run pauses
   * for it, in virtual time nothing changes); other runs: exportRun()
   */
  exportRunExact?(): Promise<RunRecord>;
  /** after replay(): whether it gave the recorded run (live records: their hash), and why not */
  replayCheck?(): ReplayCheck | null;
  openConsole(name: string, connectString: string): ConsoleHandle;
  /** one server's znode at `path` as that server has it */
  znode(sid: Sid, path: string): Promise<ZnodeView | null>;
  /** virtual ms now (live: wall clock × speed; lockstep: where the conductor is) */
  now?(): number;
  /** lockstep: one step — the next deliverable message, or else the next timeout; false when nothing is left */
  step?(): Promise<boolean>;
  /** lockstep: steps through `ms` of virtual time (every delivery and timeout in it) */
  runFor?(ms: number): void | Promise<void>;
  /** the user part of one server's tree, one line per znode (describeTree), or null when down */
  describeTree?(sid: Sid): Promise<string | null>;
  /** replays a run (share link, exported JSON) in lockstep */
  replay?(run: RunRecord): Promise<void>;
  /**
   * The consoles a replay opens (the run's own `open NAME` actions, on a page that has no pane
   * for them) and each line the replay types into them, before it runs: so the UI can show them
   * as panes with their transcripts, as the person who made the run saw them.
   */
  onReplayConsole?(listener: (e: ReplayConsoleEvent) => void): () => void;
  /** lockstep: the hash of the whole trace (equal hashes, equal runs) */
  traceHash?(): string;
  /** starts servers that are down (RunConfig.initiallyDown; lessons start them one by one) */
  startServers(sids: readonly Sid[]): void;
  /**
   * lockstep: steps until `done()` holds (checked before each step) or `stepsMax` steps;
   * resolves with whether it held (lessons wait this way for a console's command)
   */
  runUntil?(done: () => boolean, stepsMax?: number): Promise<boolean>;
  /**
   * many znodes at once, as real traffic: one client session sending `multi` requests of
   * `batch` creates (bulk-create.ts); in lockstep it advances as the run is stepped
   */
  bulkCreate?(options: BulkCreateOptions): BulkCreateHandle;
}
