import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { hex, type Sid } from '../../engine/protocol/ids.ts';
import type { BulkCreateHandle, BulkCreateOptions, BulkCreateProgress, ZnodeView } from '../../runtime/playground/api.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { usePlayground, type Runtime } from '../store/store.ts';
import { diffLines, divergentServers, leaderOf, znodeKinds } from '../store/view-models.ts';
import { formatData, type DataFormat } from './data-format.ts';
import { buildTreeRows, sortedNames } from './tree-rows.ts';

/** bulk sizes offered: multi requests of 1000 creates through the ensemble (runtime bulkCreate) */
export const bulkSizes = [100, 1000, 10_000, 100_000] as const;
/** where bulk creation puts its znodes */
export const bulkParent = '/bulk';

/** What a row shows besides its name: fetched for the rows on screen only. */
interface RowDetail {
  readonly numChildren: number;
  readonly ephemeralOwner: bigint;
}

/** The row details of one tree (`key`: server and version), and the previous tree's for display. */
interface RowDetails {
  readonly key: string;
  readonly map: Map<string, RowDetail>;
  /** asked for and not answered yet */
  readonly pending: Set<string>;
  readonly previous: ReadonlyMap<string, RowDetail>;
}

function detailOf(z: ZnodeView): RowDetail {
  return { numChildren: z.children.length, ephemeralOwner: z.ephemeralOwner };
}

/**
 * Fetches the children of the expanded directories whenever asked, one round at a time: asks
 * that come while a round is under way (the tree changes with every write of a live run) are
 * folded into one more round after it, so a busy run costs at most one fetch in flight.
 */
function useDirectories(runtime: Runtime, sid: Sid, expanded: ReadonlySet<string>, version: string): ReadonlyMap<string, readonly string[]> {
  const [dirs, setDirs] = useState<{ sid: Sid; map: ReadonlyMap<string, readonly string[]> }>({ sid, map: new Map() });
  const want = useRef({ sid, expanded });
  want.current = { sid, expanded };
  const busy = useRef(false);
  const again = useRef(false);
  useEffect(() => {
    if (busy.current) {
      again.current = true;
      return;
    }
    // one round fetches what is wanted now; asks that came meanwhile start one more round
    const round = async (): Promise<void> => {
      busy.current = true;
      again.current = false;
      const { sid: s, expanded: open } = want.current;
      const paths = [...open];
      // a server going down mid-fetch answers nothing: its tree is gone (null)
      const views = await Promise.all(paths.map((p) => runtime.znode(s, p).catch(() => null)));
      const map = new Map<string, readonly string[]>();
      views.forEach((v, k) => {
        if (v) map.set(paths[k], sortedNames(v.children));
      });
      if (want.current.sid === s) setDirs({ sid: s, map });
      busy.current = false;
      if (again.current) void round();
    };
    void round();
  }, [runtime, sid, expanded, version]);
  return dirs.sid === sid ? dirs.map : emptyDirs;
}

const emptyDirs: ReadonlyMap<string, readonly string[]> = new Map();
/** each runtime's open directories and selected znode, kept while the Data view is not shown */
const treeStates = new WeakMap<Runtime, { readonly expanded: ReadonlySet<string>; readonly selected: string }>();
/** row details kept while scrolling (the rows on screen are fetched again when they return) */
const rowDetailsMax = 10_000;

export function DataView(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const runtime = services.runtime;
  const status = usePlayground((s) => s.status);
  const sid = usePlayground((s) => s.selectedSid);
  const select = usePlayground((s) => s.select);
  const me = status.find((s) => s.sid === sid);
  const version = me ? `${me.treeDigest}/${me.lastZxid}/${me.znodeCount}` : '';
  // the open directories and the selection outlive the view (switching tabs and back keeps them)
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => treeStates.get(runtime)?.expanded ?? new Set(['/']));
  const [selected, setSelected] = useState(() => treeStates.get(runtime)?.selected ?? '/');
  useEffect(() => {
    treeStates.set(runtime, { expanded, selected });
  }, [runtime, expanded, selected]);
  const [node, setNode] = useState<ZnodeView | null>(null);
  const [format, setFormat] = useState<DataFormat>('text');
  const [showDiff, setShowDiff] = useState(false);
  const [bulkN, setBulkN] = useState<number>(() => bulkJobs.get(runtime)?.progress().count ?? 1000);
  const bulk = useBulkJob(runtime);

  const dirs = useDirectories(runtime, sid, expanded, version);
  const rows = useMemo(() => buildTreeRows(dirs, expanded), [dirs, expanded]);

  // the selected znode, again whenever this server's tree changes
  useEffect(() => {
    let cancelled = false;
    void runtime.znode(sid, selected).catch(() => null).then((z) => {
      if (!cancelled) setNode(z);
    });
    return () => {
      cancelled = true;
    };
  }, [runtime, sid, selected, version]);

  // per-row details (badges, children) for the rows on screen, looked up at render. They belong
  // to one tree (server and version): a new tree starts a new generation, showing the previous
  // one's details until its own come. A row is asked for once per generation: the answers of
  // requests made while scrolling on are kept, not dropped.
  const details = useRef<RowDetails>({ key: '', map: new Map(), pending: new Set(), previous: new Map() });
  const [, setDetailsGen] = useState(0);
  const detailsKey = `${sid}|${version}`;
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.count, getScrollElement: () => parentRef.current, estimateSize: () => 24, overscan: 20 });
  const items = virtualizer.getVirtualItems();
  const visible = items.map((v) => rows.rowAt(v.index));
  const current = details.current.key === detailsKey ? details.current : null;
  const missingKey = visible.filter((r) => !current || (!current.map.has(r.path) && !current.pending.has(r.path))).map((r) => r.path).join('\n');
  useEffect(() => {
    if (missingKey === '') return;
    if (details.current.key !== detailsKey || details.current.map.size > rowDetailsMax) {
      const old = details.current;
      details.current = { key: detailsKey, map: new Map(), pending: new Set(), previous: old.map.size > 0 && old.map.size <= rowDetailsMax ? old.map : old.previous };
    }
    const gen = details.current;
    const paths = missingKey.split('\n');
    for (const p of paths) gen.pending.add(p);
    void Promise.all(paths.map((p) => runtime.znode(sid, p).catch(() => null))).then((views) => {
      if (details.current !== gen) return; // a newer tree: these answers are stale
      views.forEach((v, k) => {
        gen.pending.delete(paths[k]);
        if (v) gen.map.set(paths[k], detailOf(v));
      });
      setDetailsGen((g) => g + 1);
    });
  }, [missingKey, runtime, sid, detailsKey]);
  const detailOfRow = (path: string): RowDetail | undefined => details.current.map.get(path) ?? details.current.previous.get(path);
  const differs = divergentServers(status, usePlayground((s) => s.mode) === 'live');
  const leader = leaderOf(status);
  const toggle = (path: string): void => {
    const next = new Set(expanded);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setExpanded(next);
  };
  const startBulk = (): void => {
    if (me) bulk.start({ parent: bulkParent, count: bulkN, connectString: me.clientAddress });
  };
  // a finished job opens its directory, once (also when it finished while another view was shown)
  useEffect(() => {
    if (!bulk.handle || !bulk.progress?.done || bulkOpened.has(bulk.handle)) return;
    bulkOpened.add(bulk.handle);
    setExpanded((e) => new Set([...e, bulkParent]));
  }, [bulk.handle, bulk.progress]);
  const bulkBusy = bulk.progress !== null && !bulk.progress.done;
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
        {me && me.role !== 'down' && me.treeDigest !== '' && (
          <span className="note mono" style={{ margin: 0 }} title={t('data.digestTitle', { z: hex(me.treeDigestZxid) })} data-testid="tree-digest">{t('data.digest', { d: me.treeDigest })}</span>
        )}
        {differs.size > 0
          ? <span className="warnbox">⚠ {t('data.differs', { list: [...differs].join(', ') })}</span>
          : <span className="okbox">✓ {t('data.same')}</span>}
        {differs.has(sid) && leader !== null && <button onClick={() => setShowDiff(!showDiff)} data-testid="show-diff">{showDiff ? t('data.hideDiff') : t('data.showDiff')}</button>}
        <span style={{ flex: 1 }} />
        {bulk.progress !== null && <BulkProgress progress={bulk.progress} onCancel={bulk.cancel} onClose={bulk.clear} />}
        {/* the size and its button wrap together (the button alone went to the next line, under the tree's label) */}
        <span className="bulk-ctl">
          <select value={bulkN} onChange={(e) => setBulkN(Number(e.target.value))} title={t('data.bulkTitle')} data-testid="bulk-size" disabled={bulkBusy}>
            {bulkSizes.map((n) => <option key={n} value={n}>{n.toLocaleString()}</option>)}
          </select>
          <button onClick={startBulk} disabled={bulkBusy || !me || me.role === 'down' || !runtime.bulkCreate} title={t('data.bulkTitle')} data-testid="bulk-create">{t('data.bulk')}</button>
        </span>
      </div>
      {showDiff && (
        <div className="diff" style={{ marginBottom: 8 }} data-testid="diff">
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
              {items.map((v, k) => {
                const r = visible[k];
                const d = detailOfRow(r.path);
                // unknown yet: a directory we hold children for, or a closed row (▸) until its details come
                const kids = dirs.get(r.path)?.length ?? d?.numChildren ?? 1;
                return (
                  <div key={r.path} className={`row ${r.path === selected ? 'sel' : ''}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${v.start}px)`, paddingLeft: r.depth * 14 }}
                    onClick={() => setSelected(r.path)} data-path={r.path}>
                    <span className="tw" onClick={(e) => { e.stopPropagation(); toggle(r.path); }}>{kids > 0 ? (expanded.has(r.path) && dirs.has(r.path) ? '▾' : '▸') : ''}</span>
                    <span>{r.name}</span>
                    {znodeKinds(r.path, d?.ephemeralOwner ?? 0n).map((b) => <span key={b} className={`badge ${b}`}>{t(`badge.${b}` as MessageKey)}</span>)}
                  </div>
                );
              })}
            </div>
          </div>
          <ZnodeDetail node={node} format={format} setFormat={setFormat} />
        </div>
      )}
    </div>
  );
}

/** The bulk job of each runtime: it outlives the Data view (switching tabs), so its progress comes back. */
const bulkJobs = new WeakMap<Runtime, BulkCreateHandle>();
/** jobs whose directory was opened when they finished */
const bulkOpened = new WeakSet<BulkCreateHandle>();

function useBulkJob(runtime: Runtime): { handle: BulkCreateHandle | null; progress: BulkCreateProgress | null; start(o: BulkCreateOptions): void; cancel(): void; clear(): void } {
  const [handle, setHandle] = useState<BulkCreateHandle | null>(() => bulkJobs.get(runtime) ?? null);
  const [progress, setProgress] = useState<BulkCreateProgress | null>(() => handle?.progress() ?? null);
  useEffect(() => {
    if (!handle) return;
    setProgress(handle.progress());
    return handle.onProgress(setProgress);
  }, [handle]);
  return {
    handle,
    progress,
    start(o) {
      if (!runtime.bulkCreate) return;
      const h = runtime.bulkCreate(o);
      bulkJobs.set(runtime, h);
      setHandle(h);
    },
    cancel: () => handle?.cancel(),
    clear() {
      bulkJobs.delete(runtime);
      setHandle(null);
      setProgress(null);
    },
  };
}

/** A bulk job's progress: created of count, a bar, cancel while running, the outcome after. */
function BulkProgress({ progress: p, onCancel, onClose }: { progress: BulkCreateProgress; onCancel(): void; onClose(): void }): React.JSX.Element {
  const t = useT();
  const outcome = p.error !== null ? t('data.bulkFailed', { error: p.error }) : p.cancelled ? t('data.bulkCancelled') : t('data.bulkDone');
  return (
    <span className="bulk" data-testid="bulk-progress" data-done={p.done ? 'true' : 'false'} data-created={p.created}>
      <progress max={p.count} value={p.created} />
      <span>{t('data.bulkProgress', { created: p.created.toLocaleString(), count: p.count.toLocaleString() })}</span>
      {p.done ? <>
        <span className={p.error !== null ? 'warnbox' : 'note'} style={{ margin: 0 }}>{outcome}</span>
        <button onClick={onClose} title={t('data.bulkClose')}>×</button>
      </> : <button onClick={onCancel} data-testid="bulk-cancel">{t('data.bulkCancel')}</button>}
    </span>
  );
}

/** The selected znode: data as text/JSON/hex, the stat as zkCli prints it, the ACL (memo: scrolling the tree does not redraw it). */
const ZnodeDetail = memo(function ZnodeDetail({ node, format, setFormat }: { node: ZnodeView | null; format: DataFormat; setFormat(f: DataFormat): void }): React.JSX.Element {
  const t = useT();
  return (
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
          <pre data-testid="acl">{node.acl}</pre>
        </>
      )}
    </div>
  );
});
