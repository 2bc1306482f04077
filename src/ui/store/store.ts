/**
 * The playground store (zustand): fed only by the runtime's event stream and status snapshots
 * (`applyFrame`); actions are intents that go to the runtime (STYLE.md 18). One store per app
 * instance, created with its runtime and handed down by context.
 */
import { createContext, useContext } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { PlaygroundEvent, PlaygroundRuntime, RunMode, ServerStatus } from '../../runtime/playground/api.ts';
import type { Lang } from '../i18n/i18n.ts';
import { emptyViewModel, reduceEvents, type ViewModel } from './view-models.ts';

export type Tab = 'data' | 'election' | 'zab' | 'watches' | 'timeline' | 'lessons' | 'scenario' | 'config' | 'log';
export type Theme = 'light' | 'dark';

/** What the in-process adapter adds on top of the contract (optional for other runtimes). */
export interface RuntimeExtras {
  startServers?(sids: readonly Sid[]): void;
  runFor?(ms: number): void;
  describeTreeOf?(sid: Sid): string | null;
  now?(): number;
}
export type Runtime = PlaygroundRuntime & RuntimeExtras;

export interface ConsoleEntry {
  readonly id: number;
  readonly name: string;
  readonly connectString: string;
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
  startRun(opts?: { zooCfg?: string; seed?: number; mode?: RunMode; startAll?: boolean }): Promise<void>;
  play(): void;
  pause(): void;
  togglePlay(): void;
  step(): Promise<void>;
  setSpeed(speed: number): void;
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

export const speeds = [0.1, 0.25, 0.5, 1, 2, 4] as const;

export function createPlaygroundStore(runtime: Runtime, init: Partial<Pick<PlaygroundState, 'zooCfg' | 'seed' | 'mode' | 'theme' | 'lang'>>): StoreApi<PlaygroundState> {
  let nextConsole = 1;
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
      set((s) => ({ status, vm: reduceEvents(s.vm, events, status) }));
    },

    async startRun(opts = {}) {
      const s = get();
      const zooCfg = opts.zooCfg ?? s.zooCfg;
      const seed = opts.seed ?? s.seed;
      const mode = opts.mode ?? s.mode;
      set({ vm: emptyViewModel(), status: [], consoles: [], partitionPick: [], partitioned: null, zooCfg, seed, mode, error: null });
      try {
        await runtime.start({ zooCfg, seed, mode });
      } catch (e) {
        set({ error: e instanceof Error ? e.message : String(e) });
        return;
      }
      runtime.setSpeed(get().speed);
      if (mode === 'live') runtime.resume();
      else runtime.pause();
      set({ playing: mode === 'live', runGeneration: s.runGeneration + 1 });
      if (opts.startAll !== false) runtime.startServers?.(get().status.map((x) => x.sid));
    },

    play() {
      runtime.resume();
      set({ playing: true });
    },
    pause() {
      runtime.pause();
      set({ playing: false });
    },
    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },
    async step() {
      if (get().playing) get().pause();
      await runtime.deliver();
    },
    setSpeed(speed) {
      runtime.setSpeed(speed);
      set({ speed });
    },
    setMode(mode) {
      set({ mode });
      if (mode === 'lockstep') get().pause();
      else get().play();
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
      const cs = connectString ?? get().status.map((x) => x.clientAddress).join(',');
      const entry = { id, name: name ?? `c${id}`, connectString: cs };
      set((s) => ({ consoles: [...s.consoles, entry] }));
      return entry;
    },
    removeConsole(id) {
      set((s) => ({ consoles: s.consoles.filter((c) => c.id !== id) }));
    },
  }));
  runtime.subscribe((events, status) => store.getState().applyFrame(events, status));
  return store;
}

export const StoreContext = createContext<StoreApi<PlaygroundState> | null>(null);
export const RuntimeContext = createContext<Runtime | null>(null);

export function usePlayground<T>(selector: (s: PlaygroundState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('no playground store');
  return useStore(store, selector);
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
