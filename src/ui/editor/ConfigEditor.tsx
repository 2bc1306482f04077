import Editor from '@monaco-editor/react';
import { useState } from 'react';
import { parseZooCfg } from '../../engine/config/zoo-cfg.ts';
import { describeConfigError } from '../../engine/config/config-error.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { readEnsembleShape } from '../runtime/zoo-cfg-lite.ts';
import { usePlayground } from '../store/store.ts';
import { setupMonaco } from './monaco-setup.ts';

setupMonaco();

/**
 * The engine's parser first (ZooKeeper's own messages, as server 1 reads the file: its dataDir
 * holds myid 1), then the playground's limits.
 */
export function validateZooCfg(text: string): string[] {
  const r = parseZooCfg(text, { myid: '1' });
  if (!r.ok) return [describeConfigError(r.error)];
  return readEnsembleShape(text).errors;
}

export default function ConfigEditor(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const theme = usePlayground((s) => s.theme);
  const current = usePlayground((s) => s.zooCfg);
  const [text, setText] = useState(current);
  const errors = validateZooCfg(text);
  const shape = readEnsembleShape(text).shape;
  return (
    <div className="editor-wrap">
      <div style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
        <h2 style={{ margin: 0 }}>{t('cfg.title')}</h2>
        <button className="primary" disabled={errors.length > 0} data-testid="cfg-apply" onClick={() => void services.freshRun({ zooCfg: text })}>{t('cfg.apply')}</button>
      </div>
      {errors.length === 0 && shape
        ? <div className="okbox">✓ {t('cfg.valid', { p: shape.participants, o: shape.observers, tick: shape.tickTime })}</div>
        : <div className="errorline"><b>{t('cfg.invalid')}</b>{'\n'}{errors.join('\n')}</div>}
      <div className="editor-box">
        <Editor height="100%" language="zoocfg" theme={theme === 'dark' ? 'zkp-dark' : 'zkp-light'} defaultValue={text} onChange={(v) => setText(v ?? '')}
          options={{ minimap: { enabled: false }, fontSize: 14, scrollBeyondLastLine: false, automaticLayout: true }} />
      </div>
    </div>
  );
}
