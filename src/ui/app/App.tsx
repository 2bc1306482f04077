import { lazy, Suspense, useEffect, useMemo } from 'react';
import { actionsToScenario, ScenarioDriver } from '../lessons/scenario-driver.ts';
import { RuntimeContext, StoreContext, selectTab, usePlayground, type Tab } from '../store/store.ts';
import type { Boot } from './bootstrap.ts';
import { Services, ServicesContext, useServices } from './services.ts';
import { Header } from '../components/Header.tsx';
import { ClusterView } from '../flow/ClusterView.tsx';
import { Consoles } from '../components/Consoles.tsx';
import { DataView } from '../components/DataView.tsx';
import { ElectionView } from '../components/ElectionView.tsx';
import { ZabView } from '../components/ZabView.tsx';
import { WatchesView } from '../components/WatchesView.tsx';
import { TimelineView } from '../components/TimelineView.tsx';
import { LogView } from '../components/LogView.tsx';
import { LessonsView } from '../components/LessonsView.tsx';
import { HelpOverlay } from '../components/HelpOverlay.tsx';
import { useShortcuts } from './shortcuts.ts';
import { useT } from './use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';

const ScenarioEditor = lazy(() => import('../editor/ScenarioEditor.tsx'));
const ConfigEditor = lazy(() => import('../editor/ConfigEditor.tsx'));

const tabs: readonly Tab[] = ['election', 'zab', 'data', 'watches', 'timeline', 'lessons', 'scenario', 'config', 'log'];

function Panel(): React.JSX.Element {
  const tab = usePlayground(selectTab);
  const setTab = usePlayground((s) => s.setTab);
  const t = useT();
  return (
    <section className="right">
      <nav className="tabs" role="tablist">
        {tabs.map((x) => (
          <button key={x} role="tab" aria-selected={tab === x} className={tab === x ? 'active' : ''} onClick={() => setTab(x)} data-tab={x}>
            {t(`tab.${x}` as MessageKey)}
          </button>
        ))}
      </nav>
      <div className="pane" role="tabpanel">
        {tab === 'data' && <DataView />}
        {tab === 'election' && <ElectionView />}
        {tab === 'zab' && <ZabView />}
        {tab === 'watches' && <WatchesView />}
        {tab === 'timeline' && <TimelineView />}
        {tab === 'lessons' && <LessonsView />}
        {tab === 'log' && <LogView />}
        {(tab === 'scenario' || tab === 'config') && (
          <Suspense fallback={<div className="empty">{t('sc.loading')}</div>}>
            {tab === 'scenario' ? <ScenarioEditor /> : <ConfigEditor />}
          </Suspense>
        )}
      </div>
    </section>
  );
}

function Shell(): React.JSX.Element {
  const theme = usePlayground((s) => s.theme);
  const lang = usePlayground((s) => s.lang);
  const error = usePlayground((s) => s.error);
  useShortcuts();
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    try {
      localStorage.setItem('zkp.theme', theme);
      localStorage.setItem('zkp.lang', lang);
    } catch {
      // storage may be unavailable (private mode): the choice lasts for this page only
    }
  }, [theme, lang]);
  return (
    <div className="app">
      <Header />
      {error && <div className="errorline" style={{ padding: '4px 14px' }}>{error}</div>}
      <main className="main">
        <div className="left">
          <ClusterView />
          <Consoles />
        </div>
        <Panel />
      </main>
      <HelpOverlay />
    </div>
  );
}

function Starter({ boot }: { boot: Boot }): null {
  const services = useServices();
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      if (boot.shared) {
        if (boot.runtime.replay) {
          // the runtime replays the run in lockstep; the UI shows the result paused
          services.store.setState({ mode: 'lockstep', zooCfg: boot.shared.config.zooCfg, seed: boot.shared.config.seed });
          await boot.runtime.replay(boot.shared);
          return;
        }
        const c = boot.shared.config;
        await new ScenarioDriver(services).runText(actionsToScenario(c.zooCfg, c.seed, boot.shared.actions));
        return;
      }
      // the first run of a page keeps what live dataDirs hold (a reload restarts from them)
      await services.restartRun({ startAll: true });
      if (cancelled || services.store.getState().error !== null) return;
      services.openConsole();
      // `npm run bench` (bench/browser/app-harness.ts) drives the app through these with ?bench
      if (new URLSearchParams(location.search).has('bench')) Object.assign(window, { __playground: { runtime: boot.runtime, store: services.store } });
    })();
    return () => {
      cancelled = true;
    };
  }, [boot, services]);
  return null;
}

export function App({ boot }: { boot: Boot }): React.JSX.Element {
  const services = useMemo(() => {
    const s = new Services(boot.runtime, boot.store);
    boot.hooks.modeChange = (mode) => s.freshRun({ mode });
    return s;
  }, [boot]);
  return (
    <StoreContext.Provider value={boot.store}>
      <RuntimeContext.Provider value={boot.runtime}>
        <ServicesContext.Provider value={services}>
          <Starter boot={boot} />
          <Shell />
        </ServicesContext.Provider>
      </RuntimeContext.Provider>
    </StoreContext.Provider>
  );
}
