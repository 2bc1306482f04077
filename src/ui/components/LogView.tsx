import { useT } from '../app/use-t.ts';
import { usePlayground } from '../store/store.ts';
import { logNewestFirst } from '../store/view-models.ts';

export function LogView(): React.JSX.Element {
  const t = useT();
  const log = usePlayground((s) => s.vm.log);
  const start = usePlayground((s) => s.vm.startT) ?? 0;
  return (
    <div>
      <h2>{t('log.title')}</h2>
      {logNewestFirst(log).slice(0, 300).map((l) => (
        <div key={l.seq} className="logline"><span className="t">+{((l.t - start) / 1000).toFixed(3)}s{l.sid ? ` [${l.sid}]` : ''}</span>{l.text}</div>
      ))}
    </div>
  );
}
