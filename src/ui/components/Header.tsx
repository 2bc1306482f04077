import { useState } from 'react';
import { formatJavaDate } from '../../engine/util/java-date.ts';
import { shareLink } from '../app/bootstrap.ts';
import { runToJson } from '../../runtime/playground/run-record.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { speeds, usePlayground, usePlaygroundApi } from '../store/store.ts';

function clockText(now: number, start: number | null): string {
  if (start === null) return '—';
  const ms = Math.max(0, now - start);
  return `+${(ms / 1000).toFixed(3)} s`;
}

/** The run's clock (moves with every event: its own small component, so the header does not re-render with it). */
function Clock(): React.JSX.Element {
  const t = useT();
  const now = usePlayground((x) => x.vm.now);
  const startT = usePlayground((x) => x.vm.startT);
  return <span className="clock" title={`${t('hdr.time')} ${now ? formatJavaDate(now) : ''}`}>{clockText(now, startT)}</span>;
}

export function Header(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  // the fields the header shows, each selected alone: the header re-renders when one of them changes
  const api = usePlaygroundApi().getState();
  const s = {
    ...api,
    seed: usePlayground((x) => x.seed),
    playing: usePlayground((x) => x.playing),
    mode: usePlayground((x) => x.mode),
    speed: usePlayground((x) => x.speed),
    theme: usePlayground((x) => x.theme),
    lang: usePlayground((x) => x.lang),
  };
  const [seedText, setSeedText] = useState(String(s.seed));
  const [shared, setShared] = useState(false);
  const share = (): void => {
    const url = `${location.origin}${location.pathname}${location.search}${shareLink(services.runtime.exportRun())}`;
    // the share link opens as a lockstep replay of this run
    history.replaceState(null, '', url);
    void navigator.clipboard?.writeText(url).catch(() => undefined);
    setShared(true);
    setTimeout(() => setShared(false), 1500);
  };
  const exportRun = (): void => {
    const blob = new Blob([runToJson(services.runtime.exportRun())], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `zookeeper-playground-seed${s.seed}.json`;
    a.click();
  };
  return (
    <header className="hdr">
      <h1 title={t('app.subtitle')}>{t('app.title')}</h1>
      <div className="sep" />
      <div className="group">
        <button className="primary" onClick={s.togglePlay} aria-label={s.playing ? t('hdr.pause') : t('hdr.play')} data-testid="play">
          {s.playing ? `❚❚ ${t('hdr.pause')}` : `▶ ${t('hdr.play')}`}
        </button>
        <button onClick={() => void s.step()} title={t('hdr.stepTitle')} data-testid="step" disabled={s.mode !== 'lockstep'}>▶| {t('hdr.step')}</button>
        <label title={t('hdr.speed')}>
          <select value={s.speed} onChange={(e) => s.setSpeed(Number(e.target.value))} aria-label={t('hdr.speed')}>
            {speeds.map((x) => <option key={x} value={x}>{x}×</option>)}
          </select>
        </label>
        <div className="seg" role="group" aria-label={t('hdr.mode')}>
          <button className={s.mode === 'live' ? 'on' : ''} onClick={() => s.setMode('live')}>{t('hdr.live')}</button>
          <button className={s.mode === 'lockstep' ? 'on' : ''} onClick={() => s.setMode('lockstep')}>{t('hdr.lockstep')}</button>
        </div>
      </div>
      <div className="sep" />
      <Clock />
      <div className="group">
        <label>{t('hdr.seed')}
          <input type="number" value={seedText} onChange={(e) => setSeedText(e.target.value)} style={{ width: 60, marginLeft: 4 }} />
        </label>
        <button onClick={() => void services.freshRun({ seed: Number(seedText) || 1 })} data-testid="reset">↺ {t('hdr.reset')}</button>
      </div>
      <div className="spacer" />
      <div className="group">
        <button onClick={share}>{shared ? t('hdr.shareCopied') : t('hdr.share')}</button>
        <button onClick={exportRun} title={t('hdr.export')} aria-label={t('hdr.export')}>⤓</button>
        <button onClick={() => s.setTheme(s.theme === 'dark' ? 'light' : 'dark')} aria-label={t('hdr.theme')} title={s.theme === 'dark' ? t('hdr.light') : t('hdr.dark')}>{s.theme === 'dark' ? '☀' : '☾'}</button>
        <button onClick={() => s.setLang(s.lang === 'en' ? 'zh' : 'en')} aria-label={t('hdr.language')} data-testid="lang">{s.lang === 'en' ? '中文' : 'English'}</button>
        <button onClick={() => s.setHelp(true)} aria-label={t('hdr.help')}>?</button>
      </div>
    </header>
  );
}
