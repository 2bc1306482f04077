/**
 * The playground store (zustand): fed only by the runtime's event stream and status snapshots
 * (`applyFrame`); actions are intents that go to the runtime (STYLE.md 18). One store per app
 * instance, created with its runtime and handed down by context.
 */
import { createContext, useContext, useRef } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { PlaygroundEvent, PlaygroundRuntime, RunMode, ServerStatus } from '../../runtime/playground/api.ts';
import type { Lang } from '../i18n/i18n.ts';
import { emptyViewModel, reduceEvents, type ViewModel } from './view-models.ts';

export type Tab = 'data' | 'election' | 'zab' | 'watches' | 'timeline' | 'lessons' | 'scenario' | 'config' | 'log';
export type Theme = 'light' | 'dark';

/** The runtime the UI drives: the contract of api.ts (startServers, runUntil, bulkCreate are in it now). */
export type Runtime = PlaygroundRuntime;

export interface ConsoleEntry {
  readonly id: number;
  readonly name: string;
  readonly connectString: string;
}

export interface RunOptions {
  readonly zooCfg?: string;
  readonly seed?: number;
  readonly mode?: RunMode;
  /** start every server with the run (false: all down, started one by one: RunConfig.initiallyDown) */
  readonly startAll?: boolean;
  /** wipe what a previous run left (live dataDirs in OPFS) */
  readonly fresh?: boolean;
  /** play once started (default: in live mode) */
  readonly play?: boolean;
}

export interface PlaygroundState {
  readonly status: readonly ServerStatus[];
  readonly vm: ViewModel;
  readonly zooCfg: string;
  readonly seed: number;
  readonly mode: RunMode;
  readonly playing: boolean;
  readonly speed: number;
  readonly selectedSid: Sid;
  readonly partitionPick: readonly Sid[];
  readonly partitioned: readonly (readonly Sid[])[] | null;
  readonly tab: Tab;
  readonly theme: Theme;
  readonly lang: Lang;
  readonly helpOpen: boolean;
  readonly consoles: readonly ConsoleEntry[];
  readonly runGeneration: number;
  readonly error: string | null;
  // intents
  applyFrame(events: readonly PlaygroundEvent[], status: readonly ServerStatus[]): void;
  startRun(opts?: RunOptions): Promise<void>;
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(): Promise<void>;
  setSpeed(speed: number): void;
  /** switch live/lockstep: a fresh run in that mode (through onModeChange, which also resets consoles) */
  setMode(mode: RunMode): void;
  kill(sid: Sid): void;
  restart(sid: Sid): void;
  togglePick(sid: Sid): void;
  partitionPicked(): void;
  heal(): void;
  select(sid: Sid): void;
  setTab(tab: Tab): void;
  setTheme(theme: Theme): void;
  setLang(lang: Lang): void;
  setHelp(open: boolean): void;
  addConsole(connectString?: string, name?: string): ConsoleEntry;
  removeConsole(id: number): void;
}

/** The server ids of a zoo.cfg. */
export function allSids(zooCfg: string): Sid[] {
  return [...zooCfg.matchAll(/^\s*server\.(\d+)\s*=/gm)].map((m) => Number(m[1]));
}

/** 127.0.0.1:2181,... for every server.N of a zoo.cfg (before the first status arrives). */
export function allClientAddresses(zooCfg: string): string {
  const n = (zooCfg.match(/^\s*server\.\d+\s*=/gm) ?? []).length;
  return Array.from({ length: Math.max(1, n) }, (_, i) => `127.0.0.1:${2181 + i}`).join(',');
}

export const speeds = [0.1, 0.25, 0.5, 1, 2, 4] as const;
/** Lockstep "play": one step every this many wall ms at speed 1. */
export const lockstepStepMs = 120;

export function createPlaygroundStore(runtime: Runtime, init: Partial<Pick<PlaygroundState, 'zooCfg' | 'seed' | 'mode' | 'theme' | 'lang'>>, onModeChange: (mode: RunMode) => Promise<void> = async () => undefined): StoreApi<PlaygroundState> {
  let nextConsole = 1;
  /** forgets the runtime batches gathered for the next frame (set below, once the store exists) */
  let dropGathered = (): void => undefined;
  let loop: ReturnType<typeof setTimeout> | null = null;
  let stepping = false;
  const stopLoop = (): void => {
    if (loop) clearTimeout(loop);
    loop = null;
  };
  /** Lockstep play: the conductor decides, the UI asks for one step at a time at a steady pace. */
  const startLoop = (): void => {
    stopLoop();
    const tick = async (): Promise<void> => {
      const s = store.getState();
      if (!s.playing || s.mode !== 'lockstep') return;
      if (!stepping) {
        stepping = true;
        try {
          await stepOnce();
        } catch (e) {
          store.setState({ error: e instanceof Error ? e.message : String(e) });
        } finally {
          stepping = false;
        }
      }
      loop = setTimeout(() => void tick(), lockstepStepMs / store.getState().speed);
    };
    loop = setTimeout(() => void tick(), 0);
  };
  const stepOnce = async (): Promise<void> => {
    if (runtime.step) await runtime.step();
    else await runtime.deliver();
  };
  let starting: Promise<void> = Promise.resolve();
  const store = createStore<PlaygroundState>()((set, get) => ({
    status: [],
    vm: emptyViewModel(),
    zooCfg: init.zooCfg ?? '',
    seed: init.seed ?? 1,
    mode: init.mode ?? 'live',
    playing: (init.mode ?? 'live') === 'live',
    speed: 1,
    selectedSid: 1,
    partitionPick: [],
    partitioned: null,
    tab: 'election',
    theme: init.theme ?? 'light',
    lang: init.lang ?? 'en',
    helpOpen: false,
    consoles: [],
    runGeneration: 0,
    error: null,

    applyFrame(events, status) {
      // a stream that starts again at seq 0, or goes back (a rewind: the trace from its oldest kept event), is a new run
      set((s) => ({ status, vm: reduceEvents(events.length > 0 && (events[0].seq === 0 || events[0].seq <= s.vm.lastSeq) ? emptyViewModel() : s.vm, events, status) }));
    },

    async startRun(opts = {}) {
      // one start at a time: a second (a key pressed twice) waits for the first to finish
      const previous = starting;
      let finished = (): void => undefined;
      starting = new Promise<void>((resolve) => (finished = resolve));
      await previous;
      try {
        const s = get();
        const zooCfg = opts.zooCfg ?? s.zooCfg;
        const seed = opts.seed ?? s.seed;
        const mode = opts.mode ?? s.mode;
        stopLoop();
        dropGathered();
        set({ vm: emptyViewModel(), status: [], consoles: [], partitionPick: [], partitioned: null, zooCfg, seed, mode, error: null, playing: false });
        try {
          const initiallyDown = opts.startAll === false ? allSids(zooCfg) : undefined;
          await runtime.start({ zooCfg, seed, mode, initiallyDown });
          // a fresh run: live dataDirs survive a page reload, so a reset wipes them (reset = wipe + start)
          if (opts.fresh) await runtime.reset();
        } catch (e) {
          set({ error: e instanceof Error ? e.message : String(e) });
          return;
        }
        runtime.setSpeed(get().speed);
        set({ runGeneration: s.runGeneration + 1 });
        if (opts.play ?? mode === 'live') get().play();
      } finally {
        finished();
      }
    },

    play() {
      set({ playing: true });
      if (get().mode === 'live') runtime.resume();
      else startLoop();
    },
    pause() {
      set({ playing: false });
      stopLoop();
      if (get().mode === 'live') runtime.pause();
    },
    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },
    async step() {
      if (get().mode !== 'lockstep') return;
      if (get().playing) get().pause();
      if (stepping) return;
      stepping = true;
      try {
        await stepOnce();
      } catch (e) {
        set({ error: e instanceof Error ? e.message : String(e) });
      } finally {
        stepping = false;
      }
    },
    setSpeed(speed) {
      runtime.setSpeed(speed);
      set({ speed });
    },
    setMode(mode) {
      // live and lockstep are different runs (DESIGN.md 9): switching starts a fresh one
      if (mode === get().mode) return;
      void onModeChange(mode);
    },
    kill(sid) {
      runtime.kill(sid);
    },
    restart(sid) {
      runtime.restart(sid);
    },
    togglePick(sid) {
      const pick = get().partitionPick;
      set({ partitionPick: pick.includes(sid) ? pick.filter((x) => x !== sid) : [...pick, sid].sort((a, b) => a - b) });
    },
    partitionPicked() {
      const pick = get().partitionPick;
      const rest = get().status.map((x) => x.sid).filter((x) => !pick.includes(x));
      if (pick.length === 0 || rest.length === 0) return;
      const groups = [pick, rest];
      runtime.partition(groups);
      set({ partitioned: groups, partitionPick: [] });
    },
    heal() {
      runtime.heal();
      set({ partitioned: null });
    },
    select(sid) {
      set({ selectedSid: sid });
    },
    setTab(tab) {
      set({ tab });
    },
    setTheme(theme) {
      set({ theme });
    },
    setLang(lang) {
      set({ lang });
    },
    setHelp(open) {
      set({ helpOpen: open });
    },
    addConsole(connectString, name) {
      const id = nextConsole++;
      const cs = connectString ?? (get().status.length > 0 ? get().status.map((x) => x.clientAddress).join(',') : allClientAddresses(get().zooCfg));
      const entry = { id, name: name ?? `c${id}`, connectString: cs };
      set((s) => ({ consoles: [...s.consoles, entry] }));
      return entry;
    },
    removeConsole(id) {
      set((s) => ({ consoles: s.consoles.filter((c) => c.id !== id) }));
    },
  }));
  const frames = coalesceFrames((events, status) => store.getState().applyFrame(events, status), () => store.getState().mode === 'live');
  dropGathered = frames.drop;
  runtime.subscribe(frames.push);
  return store;
}

type Batch = (events: readonly PlaygroundEvent[], status: readonly ServerStatus[]) => void;

/**
 * The runtime publishes after every worker output (hundreds of times a second under load), and
 * each store update re-renders React synchronously (useSyncExternalStore). In a browser, live
 * batches are gathered and applied once per animation frame (or after 100 ms when frames do not
 * come, e.g. a hidden tab), so the UI renders at most once a frame (bench/README.md, fix 6).
 * - A batch whose seq goes back (a new run, a rewind) drops what was gathered of the old stream:
 *   the restart replaces it anyway.
 * - When `gather()` says no (lockstep: each step shows at once), what was gathered is applied,
 *   then the batch, at once. Without requestAnimationFrame (Node tests) every batch is.
 * - `drop()` forgets what was gathered (a run is starting: its store was just reset, and the old
 *   run's last batches must not land in it).
 * Events are applied in order and none is lost or applied twice (store.test.ts).
 */
export function coalesceFrames(apply: Batch, gather: () => boolean = () => true): { push: Batch; drop(): void } {
  const frames = typeof requestAnimationFrame === 'function';
  let gathered: PlaygroundEvent[] = [];
  let latest: readonly ServerStatus[] | null = null;
  let scheduled = false;
  let generation = 0;
  const flush = (): void => {
    if (latest === null) return;
    const events = gathered;
    const status = latest;
    gathered = [];
    latest = null;
    apply(events, status);
  };
  const drop = (): void => {
    gathered = [];
    latest = null;
  };
  const push: Batch = (events, status) => {
    const last = gathered.length > 0 ? gathered[gathered.length - 1].seq : -1;
    if (events.length > 0 && events[0].seq <= last) drop();
    if (!frames || !gather()) {
      flush();
      apply(events, status);
      return;
    }
    for (const e of events) gathered.push(e);
    latest = status;
    if (scheduled) return;
    scheduled = true;
    const mine = ++generation;
    const fire = (): void => {
      if (mine !== generation || !scheduled) return;
      scheduled = false;
      flush();
    };
    const timer = setTimeout(fire, 100);
    requestAnimationFrame(() => {
      clearTimeout(timer);
      fire();
    });
  };
  return { push, drop };
}

export const StoreContext = createContext<StoreApi<PlaygroundState> | null>(null);
export const RuntimeContext = createContext<Runtime | null>(null);

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no playground store');
  return useStore(store, selector);
}

/**
 * A selection that keeps its previous value while `equal` says the new one shows the same (a
 * component re-renders only when what it shows changes, not on every store update: the status
 * snapshots are new objects each frame, most of their fields unchanged).
 */
export function usePlaygroundStable<T>(selector: (s: PlaygroundState) => T, equal: (a: T, b: T) => boolean): T {
  const last = useRef<{ v: T } | null>(null);
  return usePlayground((s) => {
    const next = selector(s);
    if (last.current !== null && (last.current.v === next || equal(last.current.v, next))) return last.current.v;
    last.current = { v: next };
    return next;
  });
}

/** Equality of two lists by a key of each item (the fields a view shows). */
export function sameBy<T>(key: (x: T) => string): (a: readonly T[], b: readonly T[]) => boolean {
  return (a, b) => a.length === b.length && a.every((x, i) => key(x) === key(b[i]));
}

export function usePlaygroundApi(): StoreApi<PlaygroundState> {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no playground store');
  return store;
}

export function useRuntime(): Runtime {
  const r = useContext(RuntimeContext);
  if (!r) throw new Error('no runtime');
  return r;
}

// ----- selectors -------------------------------------------------------------------------
export const selectStatus = (s: PlaygroundState): readonly ServerStatus[] => s.status;
export const selectVm = (s: PlaygroundState): ViewModel => s.vm;
export const selectLang = (s: PlaygroundState): Lang => s.lang;
export const selectTab = (s: PlaygroundState): Tab => s.tab;
export const selectSelectedSid = (s: PlaygroundState): Sid => s.selectedSid;
