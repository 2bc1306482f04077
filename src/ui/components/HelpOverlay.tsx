import { usePlayground } from '../store/store.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';

const rows: readonly [string, MessageKey][] = [
  ['Space', 'help.space'], ['n', 'help.n'], ['r', 'help.r'], ['l', 'help.l'], ['+ / −', 'help.plus'],
  ['k', 'help.k'], ['1 … 9', 'help.digits'], ['t', 'help.t'], ['g', 'help.g'], ['?', 'help.q'], ['Esc', 'help.esc'],
];

export function HelpOverlay(): React.JSX.Element | null {
  const open = usePlayground((s) => s.helpOpen);
  const setHelp = usePlayground((s) => s.setHelp);
  const t = useT();
  if (!open) return null;
  return (
    <div className="overlay" onClick={() => setHelp(false)}>
      <div className="dialog" role="dialog" aria-label={t('help.title')} onClick={(e) => e.stopPropagation()}>
        <h2>{t('help.title')}</h2>
        <p className="note">{t('help.intro')}</p>
        <table>
          <tbody>
            {rows.map(([k, key]) => (
              <tr key={k}><td><kbd>{k}</kbd></td><td>{t(key)}</td></tr>
            ))}
          </tbody>
        </table>
        <p style={{ textAlign: 'right', marginBottom: 0 }}><button onClick={() => setHelp(false)}>{t('misc.close')}</button></p>
      </div>
    </div>
  );
}
