import { useMemo, useState } from 'react';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { pick } from '../i18n/i18n.ts';
import { lessons, type Lesson } from '../lessons/lessons.ts';
import { ScenarioDriver } from '../lessons/scenario-driver.ts';
import { usePlayground } from '../store/store.ts';

export function LessonsView(): React.JSX.Element {
  const t = useT();
  const lang = usePlayground((s) => s.lang);
  const services = useServices();
  const [lesson, setLesson] = useState<Lesson | null>(null);
  const [done, setDone] = useState(0); // steps run so far
  const [busy, setBusy] = useState(false);
  const [driver, setDriver] = useState<ScenarioDriver | null>(null);
  const runNext = async (l: Lesson, d: ScenarioDriver, i: number): Promise<void> => {
    setBusy(true);
    // let React paint "running" before the simulator takes the thread
    await new Promise((r) => setTimeout(r, 0));
    await d.runText(l.steps[i].script);
    setDone(i + 1);
    setBusy(false);
  };
  const start = async (l: Lesson): Promise<void> => {
    const d = new ScenarioDriver(services);
    setLesson(l);
    setDriver(d);
    setDone(0);
    await runNext(l, d, 0);
  };
  const list = useMemo(() => lessons, []);
  if (!lesson || !driver) {
    return (
      <div>
        <h2>{t('les.title')}</h2>
        <p className="note">{t('les.pick')}</p>
        <div className="lesson-list">
          {list.map((l) => (
            <button key={l.id} className="lesson-item" onClick={() => void start(l)} data-lesson={l.id}>
              <b>{pick(l.title, lang)}</b>
              <span>{pick(l.summary, lang)}</span>
            </button>
          ))}
        </div>
      </div>
    );
  }
  const shown = Math.max(1, done);
  const step = lesson.steps[shown - 1];
  const finished = done >= lesson.steps.length;
  return (
    <div data-testid="lesson">
      <div className="lesson-nav">
        <button onClick={() => { setLesson(null); setDriver(null); }}>← {t('les.title')}</button>
        <h2 style={{ margin: 0 }}>{pick(lesson.title, lang)}</h2>
      </div>
      <p className="note">{t('les.step', { i: shown, n: lesson.steps.length })}</p>
      <div className="lesson-step" data-testid="lesson-step">
        {busy ? t('les.running') : pick(step.text, lang)}
        <pre><span className="note">{t('les.runs')}</span>{'\n'}{step.script}</pre>
      </div>
      <div className="lesson-nav">
        <button onClick={() => void start(lesson)} disabled={busy}>↺ {t('les.restart')}</button>
        {finished
          ? <b className="okbox">✓ {t('les.done')}</b>
          : <button className="primary" onClick={() => void runNext(lesson, driver, done)} disabled={busy} data-testid="lesson-next">{t('les.next')} →</button>}
      </div>
    </div>
  );
}
