import Editor from '@monaco-editor/react';
import { useState } from 'react';
import { parseScenario } from '../../runtime/scenario/scenario.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { ScenarioDriver } from '../lessons/scenario-driver.ts';
import { usePlayground } from '../store/store.ts';
import { setupMonaco } from './monaco-setup.ts';

const monaco = setupMonaco();

const sample = `# A scenario: the same lines as the transcript tests and \`npm run scenario\`.
servers 3
seed 1
start all
settle
client c1 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183
c1> create /app hello
c1> get -w /app
kill leader
settle
# the client notices and reconnects to another server (within its connect
# timeout, sessionTimeout / number of servers = 10 s)
run 12000
c1> set /app world
run 200
`;

export default function ScenarioEditor(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const theme = usePlayground((s) => s.theme);
  const [text, setText] = useState(sample);
  const [errors, setErrors] = useState<string[]>([]);
  const [cursor, setCursor] = useState(0); // index of the next step
  const [driver, setDriver] = useState<ScenarioDriver | null>(null);
  const parsed = parseScenario(text);
  const runAll = async (): Promise<void> => {
    const d = new ScenarioDriver(services);
    setDriver(d);
    const errs = await d.runText(text);
    setErrors(errs);
    setCursor(parsed.ok ? parsed.steps.length : 0);
  };
  const stepOne = async (): Promise<void> => {
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    const d = driver && cursor > 0 ? driver : new ScenarioDriver(services);
    setDriver(d);
    const step = parsed.steps[cursor];
    if (!step) return;
    await d.runStep(step);
    setCursor(cursor + 1);
  };
  const nextLine = parsed.ok ? parsed.steps[cursor]?.line : undefined;
  return (
    <div className="editor-wrap">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <h2 style={{ margin: 0 }}>{t('sc.title')}</h2>
        <button className="primary" onClick={() => void runAll()} data-testid="scenario-run">▶ {t('sc.run')}</button>
        <button onClick={() => void stepOne()} disabled={!parsed.ok}>▶| {t('sc.step')}</button>
        <button onClick={() => { setCursor(0); setDriver(null); }}>|◀ {t('sc.reset')}</button>
        {nextLine !== undefined && <span className="note" style={{ margin: 0 }}>{t('sc.line', { n: nextLine })}</span>}
      </div>
      <p className="note" style={{ margin: 0 }}>{t('sc.help')}</p>
      <div className="editor-box">
        <Editor
          height="100%"
          language="zkscenario"
          theme={theme === 'dark' ? 'zkp-dark' : 'zkp-light'}
          value={text}
          onChange={(v) => { setText(v ?? ''); setErrors([]); }}
          onMount={(editor) => {
            const model = editor.getModel();
            if (!model) return;
            editor.onDidChangeModelContent(() => {
              const r = parseScenario(model.getValue());
              monaco.editor.setModelMarkers(model, 'scenario', r.ok ? [] : r.errors.map((e) => {
                const line = Number(/^line (\d+)/.exec(e)?.[1] ?? 1);
                return { startLineNumber: line, endLineNumber: line, startColumn: 1, endColumn: 200, message: e, severity: monaco.MarkerSeverity.Error };
              }));
            });
          }}
          options={{ minimap: { enabled: false }, fontSize: 14, lineNumbers: 'on', scrollBeyondLastLine: false, automaticLayout: true }}
        />
      </div>
      {(errors.length > 0 || !parsed.ok) && (
        <div className="errorline"><b>{t('sc.errors')}</b>{'\n'}{(errors.length > 0 ? errors : parsed.ok ? [] : parsed.errors).join('\n')}</div>
      )}
    </div>
  );
}
