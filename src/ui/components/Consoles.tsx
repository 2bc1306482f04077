import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import { sameBy, usePlayground, usePlaygroundStable } from '../store/store.ts';

function ConsolePane({ id }: { id: number }): React.JSX.Element | null {
  const t = useT();
  const services = useServices();
  const reg = services.consoles;
  useSyncExternalStore(reg.subscribe.bind(reg), reg.getVersion.bind(reg));
  const rec = reg.get(id);
  // the prompt's state changes with the ensemble: read on each store update, re-rendered when it changes
  usePlayground(() => rec?.handle.prompt() ?? '');
  const [line, setLine] = useState('');
  const [histPos, setHistPos] = useState<number | null>(null);
  const [cands, setCands] = useState<string[]>([]);
  const out = useRef<HTMLDivElement>(null);
  const lines = rec?.lines;
  useEffect(() => {
    const el = out.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  if (!rec) return null;
  const prompt = rec.handle.prompt();
  const onKey = async (e: React.KeyboardEvent<HTMLInputElement>): Promise<void> => {
    if (e.key === 'Enter') {
      reg.submit(id, line);
      setLine('');
      setHistPos(null);
      setCands([]);
    } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
      e.preventDefault();
      const h = rec.history;
      if (h.length === 0) return;
      let p = histPos === null ? h.length : histPos;
      p = e.key === 'ArrowUp' ? Math.max(0, p - 1) : p + 1;
      if (p >= h.length) {
        setHistPos(null);
        setLine('');
      } else {
        setHistPos(p);
        setLine(h[p]);
      }
    } else if (e.key === 'Tab') {
      e.preventDefault();
      // zkCli's completer answers candidates for the last token: child names after the last
      // '/' of a path, command names otherwise (JLineZNodeCompleter)
      const c = await rec.handle.complete(line);
      const token = line.slice(line.lastIndexOf(' ') + 1);
      const start = token.startsWith('/') ? line.lastIndexOf('/') + 1 : line.lastIndexOf(' ') + 1;
      const head = line.slice(0, start);
      if (c.length === 1) {
        setLine(head + c[0] + (token.startsWith('/') ? '' : ' '));
        setCands([]);
      } else if (c.length > 1) {
        let common = c[0];
        for (const x of c) while (!x.startsWith(common)) common = common.slice(0, -1);
        if (head.length + common.length > line.length) setLine(head + common);
        setCands(c);
      }
    }
  };
  return (
    <div className="term" data-testid={`console-${rec.name}`} onClick={() => out.current?.parentElement?.querySelector('input')?.focus()}>
      <div className="thead">
        <span className="name">{rec.name}</span>
        <span>{rec.connectString}</span>
        <button onClick={() => services.closeConsole(id)} title={t('con.close')} aria-label={t('con.close')}>✕</button>
      </div>
      <div className="screen" ref={out}>
        {rec.lines.map((l, i) => <span key={i} className={l.kind}>{l.text}</span>)}
      </div>
      {cands.length > 0 && <div className="cands">{cands.join('  ')}</div>}
      <div className="inrow">
        {rec.closed ? <span className="prompt">{t('con.closed')}</span> : <>
          <span className="prompt">{prompt}</span>
          <input
            value={line}
            onChange={(e) => setLine(e.target.value)}
            onKeyDown={(e) => void onKey(e)}
            spellCheck={false}
            autoComplete="off"
            aria-label={`${rec.name} ${t('con.placeholder')}`}
            placeholder={rec.lines.length < 8 ? t('con.placeholder') : ''}
          />
        </>}
      </div>
    </div>
  );
}

export function Consoles(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const consoles = usePlayground((s) => s.consoles);
  // the addresses only: the status snapshots are new on every frame
  const status = usePlaygroundStable((s) => s.status, sameBy((x) => `${x.sid} ${x.clientAddress}`));
  const [target, setTarget] = useState('all');
  const all = status.map((s) => s.clientAddress).join(',');
  return (
    <section className="consoles">
      <div className="bar">
        <strong>{t('con.title')}</strong>
        <label>{t('con.connect')}{' '}
          <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="console-target">
            <option value="all">{all || '—'}</option>
            {status.map((s) => <option key={s.sid} value={s.clientAddress}>{s.clientAddress} ({t('srv.server', { sid: s.sid })})</option>)}
          </select>
        </label>
        <button onClick={() => services.openConsole(target === 'all' ? all : target)} disabled={status.length === 0} data-testid="new-console">＋ {t('con.new')}</button>
      </div>
      <div className="panes">
        {consoles.length === 0 && <div className="empty" data-testid="consoles-none">{t('con.none')}</div>}
        {consoles.slice(-3).map((c) => <ConsolePane key={c.id} id={c.id} />)}
      </div>
    </section>
  );
}
