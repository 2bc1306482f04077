/**
 * What varies between two real runs of the same golden case, and how it is normalised
 * (`/work/shared/golden/README.md`, "Comparison after normalizing only what varies"):
 *  - `ctime`/`mtime` lines: any Java `Date.toString()` date, except the epoch date, which must be
 *    exact;
 *  - session ids: any non-zero hex id, provided the ids map one to one within a file;
 *  - `WATCHER::` blocks float (see `extractWatcherFragments`);
 *  - `ZooKeeper CLI version: `: only that prefix counts;
 *  - four-letter-word figures (`mask4lwLines`, for `ensemble/4lw` only).
 *
 * Pure: no I/O.
 */

/** The date of `/` and `/zookeeper` (ctime/mtime 0), which must be printed exactly. */
export const EPOCH_DATE = 'Thu Jan 01 00:00:00 UTC 1970';

/**
 * Java `Date.toString()`: `EEE MMM dd HH:mm:ss zzz yyyy`, e.g. `Sun Nov 22 13:04:09 UTC 2026`.
 * `zzz` is a short zone name (`UTC`, `CET`) or a custom offset (`GMT+05:30`).
 */
const JAVA_DATE_SOURCE =
  '(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{2} ' +
  '\\d{2}:\\d{2}:\\d{2} [A-Za-z][A-Za-z0-9+:_/-]* \\d{4}';
const JAVA_DATE_EXACT = new RegExp(`^${JAVA_DATE_SOURCE}$`);

export function isJavaDate(s: string): boolean {
  return JAVA_DATE_EXACT.test(s);
}

/** What stands for a normalised real date. */
export const DATE_TOKEN = '<date>';

/** The prompt as run-cases.sh recognises it (`PROMPT_RE='\[zk: [^]]*\] '`). */
export const PROMPT_SOURCE = '\\[zk: [^\\]]*\\] ';

/**
 * Lines that start a new section of a .out file: a session header
 * (`----- session NAME (zkCli ARGS) -----`) or a oneshot (`$ zkCli.sh -server H:P ARGS`).
 */
const SECTION_LINE = /^(?:----- session .* -----|\$ zkCli\.sh .*)$/gm;

/**
 * Gives each distinct session id a stable token in order of first appearance: two files whose
 * ids are a consistent renaming of each other (a bijection) normalise to the same text, while
 * one id standing for two sessions (or two ids for one) does not.
 */
export class SessionIdNames {
  private readonly names = new Map<string, string>();

  /** `0x0` (no session) is kept as it is; any other id becomes `<session-id #N>`. */
  name(hexId: string): string {
    const digits = hexId.replace(/^0x/i, '').toLowerCase();
    if (/^0+$/.test(digits)) return hexId;
    let name = this.names.get(digits);
    if (name === undefined) {
      name = `<session-id #${this.names.size + 1}>`;
      this.names.set(digits, name);
    }
    return name;
  }
}

/**
 * Session ids in zkCli output: `ephemeralOwner = 0x…` (stat), and for robustness the spellings
 * a client or server may use elsewhere (`sessionid = 0x…`, `session id = 0x…`, `sessionId: 0x…`,
 * `sid=0x…`). In the 3.8.0 corpus only `ephemeralOwner` occurs in the .out files; whoami prints
 * no id. (A client sees `0x0` for TTL and container nodes, so no other owner values occur.)
 */
const TRANSCRIPT_SESSION_ID = /(ephemeralOwner = |\bsession ?id ?[=:] ?|\bsid=)(0x[0-9a-fA-F]+)/gi;
const CTIME_MTIME = /^([cm]time = )(.*)$/;
const CLI_VERSION = /(ZooKeeper CLI version: )[^\n]*/g;

/**
 * Normalises one transcript line (no `\n`). Use one `SessionIdNames` per file and feed the
 * lines in file order.
 */
export function normalizeTranscriptLine(line: string, ids: SessionIdNames): string {
  let out = line;
  const m = CTIME_MTIME.exec(out);
  if (m && m[2] !== EPOCH_DATE && isJavaDate(m[2])) out = m[1] + DATE_TOKEN;
  out = out.replace(TRANSCRIPT_SESSION_ID, (_all, prefix: string, id: string) => prefix + ids.name(id));
  out = out.replace(CLI_VERSION, '$1<version>');
  return out;
}

export function normalizeTranscriptLines(lines: readonly string[]): string[] {
  const ids = new SessionIdNames();
  return lines.map((l) => normalizeTranscriptLine(l, ids));
}

/** One piece of an asynchronous watch notification as zkCli prints it. */
export interface WatcherFragment {
  /**
   * zkCli's event thread prints a notification as two separate `println("\n" + msg)` calls:
   * `\nWATCHER::\n` and `\nWatchedEvent state:… type:… path:…\n`. The main thread's prompt can
   * come between the two (ls_watch.out), so they are handled one by one.
   */
  kind: 'watcher' | 'event';
  /** `WATCHER::` or the whole `WatchedEvent …` line. */
  text: string;
  /** Offset of the fragment's leading `\n` in the original text. */
  offset: number;
  /** 1-based line of `WATCHER::` / `WatchedEvent` in the original text. */
  line: number;
  /** Index of the section (0 = before any session header or oneshot line). */
  section: number;
  /** The section's header line, or '' for section 0. */
  sectionTitle: string;
  /** How many prompts of that section come before the fragment. */
  prompts: number;
}

const FRAGMENT = /\nWATCHER::\n|\nWatchedEvent [^\n]*\n/g;

/**
 * Takes every watch-notification fragment out of a transcript. `remainder` is the text as it
 * would read had no notification been printed (`…Created /a\n[zk: …] create /b\n…`), so it can be
 * compared byte for byte; the fragments keep their order, section and prompt count so that their
 * positions can be compared with a tolerance.
 */
export function extractWatcherFragments(text: string): { remainder: string; fragments: WatcherFragment[] } {
  const sections: { offset: number; title: string }[] = [];
  for (const m of text.matchAll(SECTION_LINE)) sections.push({ offset: m.index, title: m[0] });
  const prompts: number[] = [];
  for (const m of text.matchAll(new RegExp(PROMPT_SOURCE, 'g'))) prompts.push(m.index);

  const fragments: WatcherFragment[] = [];
  let remainder = '';
  let last = 0;
  let line = 1;
  let lineScan = 0;
  for (const m of text.matchAll(FRAGMENT)) {
    const offset = m.index;
    for (; lineScan <= offset; lineScan++) if (text.charCodeAt(lineScan) === 10) line++;
    let section = 0;
    while (section < sections.length && sections[section].offset <= offset) section++;
    const sectionStart = section === 0 ? 0 : sections[section - 1].offset;
    let count = 0;
    for (const p of prompts) if (p >= sectionStart && p < offset) count++;
    fragments.push({
      kind: m[0].startsWith('\nWATCHER::') ? 'watcher' : 'event',
      text: m[0].slice(1, -1),
      offset,
      line,
      section,
      sectionTitle: section === 0 ? '' : sections[section - 1].title,
      prompts: count,
    });
    remainder += text.slice(last, offset);
    last = offset + m[0].length;
  }
  remainder += text.slice(last);
  return { remainder, fragments };
}

// ---------------------------------------------------------------------------------------------
// Four-letter words (ensemble/4lw/WORD.ROLE.txt)

const FOUR_LW_SESSION_ID = /(\bsid=|\bsessionId: )(0x[0-9a-fA-F]+)/g;
/** dump / wchc / wchp list session ids on lines of their own: `0x…`, `\t0x…`, `0x…:`, `0x…\t10000ms`. */
const FOUR_LW_ID_LINE = /^(\t?)(0x[0-9a-fA-F]+)(:|\t\d+ms)?$/;
const JAVA_DATE_ANYWHERE = new RegExp(JAVA_DATE_SOURCE, 'g');
/** mntr keys whose values describe the data tree or the ensemble rather than traffic or timing. */
const MNTR_KEPT = new Set([
  'zk_znode_count',
  'zk_ephemerals_count',
  'zk_watch_count',
  'zk_num_alive_connections',
  'zk_outstanding_requests',
  'zk_global_sessions',
  'zk_local_sessions',
  'zk_quorum_size',
  'zk_synced_followers',
  'zk_synced_non_voting_followers',
  'zk_synced_observers',
  'zk_pending_syncs',
]);

const FOUR_LW_LINE_RULES: [RegExp, string][] = [
  // the version string is a Debian build artifact (README: "version")
  [/^(Zookeeper version: |zookeeper\.version=|zk_version\t).*$/, '$1<version>'],
  // srvr / stat figures
  [/^(Latency min\/avg\/max: ).*$/, '$1<n>/<n>/<n>'],
  [/^(Received|Sent): \d+$/, '$1: <n>'],
  [/^(Proposal sizes last\/min\/max: ).*$/, '$1<n>/<n>/<n>'],
  // conf / dirs: where and how big the data directory is
  [/^(dataDir|dataLogDir)=.*$/, '$1=<path>'],
  [/^(dataDirSize|dataLogSize)=\d+$/, '$1=<n>'],
  [/^(datadir_size|logdir_size): \d+$/, '$1: <n>'],
  // dump: how many sessions/connections share an expiry bucket depends on timing
  [/^(Session|Connections) Sets \(\d+\)\/\((\d+)\):$/, '$1 Sets (<n>)/($2):'],
  [/^\d+ (expire at )/, '<n> $1'],
];

/**
 * Masks what varies between real runs in a four-letter-word reply, line by line: the version
 * string; Java dates; client ports (`/127.0.0.1:53264` → `/127.0.0.1:<port>`); per-connection
 * figures in `cons` (queued, recved, sent, est, lresp, latencies, last op); srvr/stat latencies,
 * packet counts and proposal sizes; data directory paths and sizes (conf, dirs); expiry-bucket
 * sizes in `dump`; every numeric `mntr` value except a few that describe the tree or the ensemble
 * (node/ephemeral/watch counts, sessions, connections, quorum); all `envi` values (host, JVM, OS,
 * memory); and session ids (`sid=`, `sessionId:`, id lines of dump/wchc/wchp), consistently
 * renamed as in transcripts. Zxids, modes, node counts, the configuration and the structure stay.
 * Client lines (` /ip:port[…](…)`) and dump's `\tip: …` lines come in hash order, so each run of
 * them is sorted after masking (the display order is kept in `lines`).
 */
export function mask4lwLines(lines: readonly string[]): string[] {
  const ids = new SessionIdNames();
  const envi = lines[0] === 'Environment:';
  const masked = lines.map((line) => {
    let out = line;
    for (const [re, to] of FOUR_LW_LINE_RULES) out = out.replace(re, to);
    const idLine = FOUR_LW_ID_LINE.exec(out);
    if (idLine) out = idLine[1] + ids.name(idLine[2]) + (idLine[3] ?? '');
    out = out.replace(FOUR_LW_SESSION_ID, (_all, prefix: string, id: string) => prefix + ids.name(id));
    out = out.replace(JAVA_DATE_ANYWHERE, DATE_TOKEN);
    out = out.replace(/\/(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):\d+/g, '/$1:<port>');
    out = out.replace(/\b(queued|recved|sent|est|lresp|llat|minlat|avglat|maxlat)=\d+/g, '$1=<n>');
    out = out.replace(/\blop=\w+/g, 'lop=<op>');
    const mntr = /^(zk_\w+)\t-?\d+(?:\.\d+)?(?:E-?\d+)?$/.exec(out);
    if (mntr && !MNTR_KEPT.has(mntr[1])) out = `${mntr[1]}\t<n>`;
    if (envi && !out.startsWith('zookeeper.version=')) out = out.replace(/^([\w.]+)=.*$/, '$1=<value>');
    return out;
  });
  return masked;
}

/** True for lines whose order within a run of such lines is a hash order (cons, stat, dump). */
export function is4lwUnorderedLine(line: string): boolean {
  return /^ \/\S+\[\d+\]\(/.test(line) || /^\tip: /.test(line);
}
