import { useState } from 'react';
import { formatJavaDate } from '../../engine/util/java-date.ts';
import { shareLink } from '../app/bootstrap.ts';
import { runToJson, shareLinkCharsMax } from '../../runtime/playground/run-record.ts';
import type { RunRecord } from '../../runtime/playground/api.ts';
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

/**
 * After a replay: whether it gave the recorded run (a live run's: its trace hash), or why not.
 * Read from the runtime when the trace moves (the replay's trace arrives after the check).
 */
function ReplayBadge(): React.JSX.Element | null {
  const t = useT();
  const services = useServices();
  usePlayground((x) => x.vm.startT);
  usePlayground((x) => x.mode);
  usePlayground((x) => x.vm.now);
  const replayed = services.runtime.replayCheck?.() ?? null;
  if (!replayed) return null;
  return (
    <span className={replayed.exact ? 'replay-ok' : 'replay-bad'} data-testid="replay-check" title={replayed.exact ? t('hdr.replayExactTitle', { hash: replayed.got ?? '' }) : replayed.reason ?? ''}>
      {replayed.exact ? t('hdr.replayExact') : t('hdr.replayInexact')}
    </span>
  );
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
  /** what the last share or export could not do exactly (a live run too long, a dataDir too big), or null */
  const [notice, setNotice] = useState<string | null>(null);
  // a live run's record carries its schedule (the run pauses a moment to collect it): it replays to the same run
  const record = async (): Promise<RunRecord> => {
    const r = services.runtime.exportRunExact ? await services.runtime.exportRunExact() : services.runtime.exportRun();
    setNotice(r.inexact !== undefined ? t('hdr.notExact', { reason: r.inexact }) : null);
    return r;
  };
  const share = async (): Promise<void> => {
    const hash = shareLink(await record());
    if (hash.length > shareLinkCharsMax) {
      setNotice(t('hdr.linkTooLong', { chars: hash.length.toLocaleString() }));
      return;
    }
    const url = `${location.origin}${location.pathname}${location.search}${hash}`;
    // the share link opens as a replay of this run (a live run's: the same run, then lockstep)
    history.replaceState(null, '', url);
    void navigator.clipboard?.writeText(url).catch(() => undefined);
    setShared(true);
    setTimeout(() => setShared(false), 1500);
  };
  const exportRun = async (): Promise<void> => {
    const blob = new Blob([runToJson(await record())], { type: 'application/json' });
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
        <ReplayBadge />
        {notice && <span className="replay-bad" data-testid="export-notice" title={notice}>⚠</span>}
        <button onClick={() => void share()} title={notice ?? undefined} data-testid="share">{shared ? t('hdr.shareCopied') : t('hdr.share')}</button>
        <button onClick={() => void exportRun()} title={notice ?? t('hdr.export')} aria-label={t('hdr.export')}>⤓</button>
        <button onClick={() => s.setTheme(s.theme === 'dark' ? 'light' : 'dark')} aria-label={t('hdr.theme')} title={s.theme === 'dark' ? t('hdr.light') : t('hdr.dark')}>{s.theme === 'dark' ? '☀' : '☾'}</button>
        <button onClick={() => s.setLang(s.lang === 'en' ? 'zh' : 'en')} aria-label={t('hdr.language')} data-testid="lang">{s.lang === 'en' ? '中文' : 'English'}</button>
        <button onClick={() => s.setHelp(true)} aria-label={t('hdr.help')}>?</button>
      </div>
    </header>
  );
}
