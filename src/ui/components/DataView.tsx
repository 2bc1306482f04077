import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ZnodeView } from '../../runtime/playground/api.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { usePlayground } from '../store/store.ts';
import { diffLines, divergentServers, leaderOf, znodeKinds } from '../store/view-models.ts';
import { flattenTree, formatData, type DataFormat } from './data-format.ts';

/** bulk sizes offered: each create is a real zkCli call through the ensemble, so large ones take a while */
export const bulkSizes = [100, 1000, 10_000] as const;

export function DataView(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const runtime = services.runtime;
  const status = usePlayground((s) => s.status);
  const sid = usePlayground((s) => s.selectedSid);
  const select = usePlayground((s) => s.select);
  const me = status.find((s) => s.sid === sid);
  const version = me ? `${me.treeDigest}/${me.lastZxid}/${me.znodeCount}` : '';
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(['/']));
  const [cache, setCache] = useState<ReadonlyMap<string, ZnodeView | null>>(new Map());
  const [selected, setSelected] = useState('/');
  const [format, setFormat] = useState<DataFormat>('text');
  const [showDiff, setShowDiff] = useState(false);
  const [bulkBusy, setBulkBusy] = useState(false);
  const [bulkN, setBulkN] = useState<number>(1000);

  // refetch the expanded directories, the selected node and the rows on screen whenever this
  // server's tree changes (rows on screen: for their badges and whether they have children)
  const visibleRef = useRef<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    const paths = [...new Set([...expanded, selected, ...visibleRef.current])];
    void Promise.all(paths.map(async (p) => [p, await runtime.znode(sid, p)] as const)).then((pairs) => {
      if (!cancelled) setCache(new Map(pairs));
    });
    return () => {
      cancelled = true;
    };
  }, [runtime, sid, version, expanded, selected]);

  const rows = useMemo(() => flattenTree(cache, expanded), [cache, expanded]);
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => 24, overscan: 20 });
  const visiblePaths = virtualizer.getVirtualItems().map((v) => rows[v.index]?.path).filter((p): p is string => p !== undefined);
  visibleRef.current = visiblePaths;
  const missingKey = visiblePaths.filter((p) => !cache.has(p)).join('\n');
  useEffect(() => {
    if (missingKey === '') return;
    let cancelled = false;
    const paths = missingKey.split('\n');
    void Promise.all(paths.map(async (p) => [p, await runtime.znode(sid, p)] as const)).then((pairs) => {
      if (!cancelled) setCache((old) => new Map([...old, ...pairs]));
    });
    return () => {
      cancelled = true;
    };
  }, [missingKey, runtime, sid]);
  const differs = divergentServers(status);
  const leader = leaderOf(status);
  const node = cache.get(selected) ?? null;
  const toggle = (path: string): void => {
    const next = new Set(expanded);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setExpanded(next);
  };
  const bulk = async (): Promise<void> => {
    setBulkBusy(true);
    const h = runtime.openConsole('bulk', me?.clientAddress ?? '127.0.0.1:2181');
    await new Promise((r) => setTimeout(r, 0));
    h.submit('create /bulk');
    for (let i = 0; i < bulkN; i += 500) {
      for (let j = i; j < Math.min(bulkN, i + 500); j++) h.submit(`create /bulk/n${String(j).padStart(6, '0')} ${j}`);
      await new Promise((r) => setTimeout(r, 0));
    }
    await h.idle?.();
    h.close();
    setExpanded(new Set([...expanded, '/bulk']));
    setBulkBusy(false);
  };
  const [diffText, setDiffText] = useState<ReturnType<typeof diffLines>>([]);
  useEffect(() => {
    if (!showDiff || leader === null || leader === sid || !runtime.describeTree) return;
    let cancelled = false;
    void Promise.all([runtime.describeTree(leader), runtime.describeTree(sid)]).then(([a, b]) => {
      if (!cancelled) setDiffText(diffLines(a ?? '', b ?? ''));
    });
    return () => {
      cancelled = true;
    };
  }, [showDiff, leader, sid, version, runtime]);
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%' }}>
      <div className="data-top">
        <label>{t('data.server')}{' '}
          <select value={sid} onChange={(e) => select(Number(e.target.value))} data-testid="data-server">
            {status.map((s) => <option key={s.sid} value={s.sid}>{s.sid} · {t(`role.${s.role}` as MessageKey)}{differs.has(s.sid) ? ' ⚠' : ''}</option>)}
          </select>
        </label>
        {me && me.role !== 'down' && <span className="note" style={{ margin: 0 }}>{t('data.nodes', { n: me.znodeCount })}</span>}
        {differs.size > 0
          ? <span className="warnbox">⚠ {t('data.differs', { list: [...differs].join(', ') })}</span>
          : <span className="okbox">✓ {t('data.same')}</span>}
        {differs.has(sid) && leader !== null && <button onClick={() => setShowDiff(!showDiff)}>{showDiff ? t('data.hideDiff') : t('data.showDiff')}</button>}
        <span style={{ flex: 1 }} />
        <select value={bulkN} onChange={(e) => setBulkN(Number(e.target.value))} title={t('data.bulkTitle')}>
          {bulkSizes.map((n) => <option key={n} value={n}>{n.toLocaleString()}</option>)}
        </select>
        <button onClick={() => void bulk()} disabled={bulkBusy || !me || me.role === 'down'} title={t('data.bulkTitle')}>{bulkBusy ? '…' : t('data.bulk')}</button>
      </div>
      {showDiff && (
        <div className="diff" style={{ marginBottom: 8 }}>
          <b>{t('data.diffTitle', { a: leader ?? '?', b: sid })}</b>
          {diffText.length === 0 ? <div className="note">{t('data.noDiff')}</div> : (
            <pre className="mono" style={{ maxHeight: 140, overflow: 'auto' }}>
              {diffText.slice(0, 200).map((d, i) => <div key={i} className={d.sign === '-' ? 'm' : 'p'}>{d.sign} {d.line}</div>)}
            </pre>
          )}
        </div>
      )}
      {!me || me.role === 'down' ? <div className="empty">{t('data.down', { sid })}</div> : (
        <div className="data" style={{ flex: 1 }}>
          <div className="tree" ref={parentRef} data-testid="znode-tree" data-bench="znode-tree">
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((v) => {
                const r = rows[v.index];
                return (
                  <div key={r.path} className={`row ${r.path === selected ? 'sel' : ''}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)`, paddingLeft: r.depth * 14 }}
                    onClick={() => setSelected(r.path)} data-path={r.path}>
                    <span className="tw" onClick={(e) => { e.stopPropagation(); toggle(r.path); }}>{r.hasChildren ? (expanded.has(r.path) ? '▾' : '▸') : ''}</span>
                    <span>{r.name}</span>
                    {znodeKinds(r.path, cache.get(r.path)?.ephemeralOwner ?? r.owner).map((k) => <span key={k} className={`badge ${k}`}>{t(`badge.${k}` as MessageKey)}</span>)}
                  </div>
                );
              })}
            </div>
          </div>
          <div className="detail">
            {!node ? <div className="empty">{t('data.select')}</div> : (
              <>
                <div className="mono" style={{ fontWeight: 700, fontSize: 14 }}>{node.path}
                  {znodeKinds(node.path, node.ephemeralOwner).map((k) => <span key={k} className={`badge ${k}`}>{t(`badge.${k}` as MessageKey)}</span>)}
                </div>
                <div style={{ display: 'flex', gap: 8, alignItems: 'center', marginTop: 6 }}>
                  <b>{t('data.data')}</b>
                  <div className="seg">
                    {(['text', 'json', 'hex'] as const).map((f) => <button key={f} className={format === f ? 'on' : ''} onClick={() => setFormat(f)}>{t(`data.${f}`)}</button>)}
                  </div>
                </div>
                <pre>{formatData(node.data, format, t('data.empty'), t('data.notJson'))}</pre>
                <b>{t('data.stat')}</b>
                <pre data-testid="stat">{Object.entries(node.stat).map(([k, v]) => `${k} = ${v}`).join('\n')}</pre>
                <b>{t('data.acl')}</b>
                <pre>{node.acl}</pre>
              </>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
