import { ReactFlow, ReactFlowProvider, useNodesInitialized, useNodesState, useReactFlow, useStore as useFlowStore, type Node, type NodeMouseHandler } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Sid } from '../../engine/protocol/ids.ts';
import type { InFlightMessage, MessageKind } from '../../runtime/playground/api.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { usePlayground, type PlaygroundState } from '../store/store.ts';
import { divergentServers } from '../store/view-models.ts';
import { readableDescribe } from '../components/data-format.ts';
import { AnimClock, TrafficWindow, dotsMax, sampleEvenly, sampleNote } from './anim.ts';
import { LinkEdge, kindColor } from './LinkEdge.tsx';
import { MessageLayer, type HoverInfo } from './MessageLayer.tsx';
import { ClientNode, ServerNode } from './nodes.tsx';
import { toFlowGraph, type ClientAttachment } from './to-flow-graph.ts';

const nodeTypes = { server: ServerNode, client: ClientNode };
const edgeTypes = { link: LinkEdge };
const legendKinds: readonly MessageKind[] = ['notification', 'discovery', 'sync', 'proposal', 'ack', 'commit', 'request'];

/** Each console's server and connection state, as one string: re-renders only when it changes. */
function useClients(): ClientAttachment[] {
  const services = useServices();
  useSyncExternalStore(services.consoles.subscribe.bind(services.consoles), services.consoles.getVersion.bind(services.consoles));
  // the connection state is read from the consoles on each store update (it moves with the run)
  const key = usePlayground((s) => JSON.stringify(services.consoles.all().map((r) => {
    const conn = r.handle.connection?.() ?? { address: null, state: '' };
    const sid = s.status.find((x) => x.clientAddress === conn.address)?.sid ?? null;
    return [r.name, sid, conn.state];
  })));
  return useMemo(() => (JSON.parse(key) as [string, Sid | null, string][]).map(([name, sid, state]) => ({ name, sid, state })), [key]);
}

/**
 * The pane's dot grid (24 flow px apart), panning and zooming with the view: a CSS background
 * whose size and offset follow the viewport. @xyflow's <Background> is an SVG the size of the
 * pane, whose percent sizes are laid out again (and its pattern repainted) on every layout of
 * the pane, i.e. on every frame in which a card's numbers change (bench/README.md, fix 25).
 */
function FlowDots(): React.JSX.Element {
  const [x, y, zoom] = useFlowStore((s) => s.transform);
  const gap = 24 * zoom;
  const style = { backgroundSize: `${gap}px ${gap}px`, backgroundPosition: `${(x % gap) - gap / 2}px ${(y % gap) - gap / 2}px`, '--dot-r': `${Math.max(0.5, zoom / 2)}px` } as React.CSSProperties;
  return <div className="flow-dots" style={style} />;
}

function ClusterInner(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  // the graph follows the servers' ids and which trees differ, not every status snapshot: each
  // card reads the fields it shows itself (nodes.tsx), so a write re-renders the cards, not the flow
  const sidsKey = usePlayground((s) => s.status.map((x) => x.sid).join(','));
  const servers = useMemo(() => (sidsKey === '' ? [] : sidsKey.split(',').map((x) => ({ sid: Number(x) }))), [sidsKey]);
  const differsKey = usePlayground((s) => [...divergentServers(s.status, s.mode === 'live')].join(','));
  const selectedSid = usePlayground((s) => s.selectedSid);
  const picked = usePlayground((s) => s.partitionPick);
  const partitioned = usePlayground((s) => s.partitioned);
  // (shown in lockstep only: live, it changes with every update and would re-render the view)
  const inFlightCount = usePlayground((s) => (s.mode === 'lockstep' ? s.vm.inFlight.size : 0));
  const mode = usePlayground((s) => s.mode);
  const api = services.store.getState();
  const clients = useClients();
  const graph = useMemo(
    () => toFlowGraph({ status: servers, selectedSid, picked, partitioned, differs: new Set(differsKey === '' ? [] : differsKey.split(',').map(Number)), clients }),
    [servers, selectedSid, picked, partitioned, differsKey, clients],
  );
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(graph.nodes);
  const dragged = useRef(new Map<string, { x: number; y: number }>());
  useEffect(() => {
    setNodes(graph.nodes.map((n) => ({ ...n, position: dragged.current.get(n.id) ?? n.position })));
  }, [graph.nodes, setNodes]);

  // refit when servers or clients come and go, once the cards are measured (from four servers
  // they are compact: another size), and when the pane changes size (a console opened, the window)
  const flow = useReactFlow();
  const measured = useNodesInitialized();
  const shapeKey = `${graph.nodes.length}`;
  const [paneSize, setPaneSize] = useState('');
  const flowBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = flowBox.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setPaneSize(`${Math.round(el.clientWidth / 8)}x${Math.round(el.clientHeight / 8)}`));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (!measured) return;
    const id = setTimeout(() => void flow.fitView({ padding: 0.05, duration: 200 }), 60);
    return () => clearTimeout(id);
  }, [shapeKey, measured, paneSize, flow]);

  // new messages start travelling: fed from the store outside React (no render per update).
  // Under load there are more than the eye can follow (and the frame can draw): an even sample
  // of each update's messages travels, at most dotsMax at once, and the toolbar says how many
  // of how many (exact counts: the view model counts every message sent)
  const clock = useMemo(() => new AnimClock(), []);
  const traffic = useMemo(() => new TrafficWindow(), []);
  const note = useRef<HTMLSpanElement>(null);
  const tRef = useRef(t);
  tRef.current = t;
  useEffect(() => {
    let lastAnimated: number | null = null;
    let lastSent = 0;
    const feed = (vm: PlaygroundState['vm']): void => {
      const timeline = vm.timeline;
      const newest = timeline.length > 0 ? timeline[timeline.length - 1].sentSeq : -1;
      const sent = vm.sentCount - lastSent;
      lastSent = vm.sentCount;
      // what the view opens on is history, and a stream that went back (a new run, a rewind)
      // shows again what was already seen: neither is new traffic
      if (lastAnimated === null || newest < lastAnimated || sent < 0) {
        lastAnimated = newest;
        traffic.clear();
        return;
      }
      let i = timeline.length;
      while (i > 0 && timeline[i - 1].sentSeq > lastAnimated) i--;
      if (i === timeline.length) return;
      lastAnimated = newest;
      const now = performance.now();
      const fresh = sampleEvenly(timeline.slice(i), dotsMax - clock.live(now));
      clock.add(fresh.map((m) => ({ key: `a${m.msgId}`, from: m.from, to: m.to, kind: m.kind, text: m.text, dropped: m.dropped })), now);
      traffic.record(now, sent, fresh.length);
    };
    feed(services.store.getState().vm);
    // rewritten only when a count (or the language) changes, as the data of one text node (no
    // node replaced, no style recalculated: under saturation the counts change every frame)
    let shown = { sent: -1, animated: -1, t: tRef.current };
    const showNote = (): void => {
      const totals = traffic.totals(performance.now());
      const el = note.current;
      if (!el || (totals.sent === shown.sent && totals.animated === shown.animated && tRef.current === shown.t)) return;
      shown = { ...totals, t: tRef.current };
      const text = sampleNote(tRef.current, totals);
      const node = el.firstChild instanceof Text ? el.firstChild : el.appendChild(document.createTextNode(''));
      if (node.data !== text) node.data = text;
      if (el.hidden !== (text === '')) el.hidden = text === '';
    };
    const offClock = clock.subscribe(showNote);
    const offStore = services.store.subscribe((s, prev) => {
      if (s.vm.timeline !== prev.vm.timeline) feed(s.vm);
      showNote();
    });
    return () => {
      offClock();
      offStore();
    };
  }, [services.store, clock, traffic]);

  const [hover, setHover] = useState<HoverInfo | null>(null);
  const hoverTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onHover = (h: HoverInfo | null): void => {
    if (hoverTimer.current) clearTimeout(hoverTimer.current);
    hoverTimer.current = null;
    // a travelling dot leaves the pointer at once (often with no mouseout: the pointer did not
    // move): its text stays a few seconds to be read, then goes
    if (h) setHover(h);
    hoverTimer.current = setTimeout(() => setHover(null), h ? 4000 : 2000);
  };
  useEffect(() => () => {
    if (hoverTimer.current) clearTimeout(hoverTimer.current);
  }, []);

  const [pop, setPop] = useState<{ m: InFlightMessage; x: number; y: number } | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const onMsgClick = (m: InFlightMessage, x: number, y: number): void => {
    const r = box.current?.getBoundingClientRect();
    setPop({ m, x: x - (r?.left ?? 0), y: y - (r?.top ?? 0) });
  };
  const onNodeClick: NodeMouseHandler = (e, node) => {
    if (!node.id.startsWith('s')) return;
    const sid = Number(node.id.slice(1));
    if (e.shiftKey || e.metaKey || e.ctrlKey) api.togglePick(sid);
    else api.select(sid);
  };
  return (
    <div className="cluster" ref={box} data-testid="cluster">
      <div className="toolbar">
        <button onClick={api.partitionPicked} disabled={picked.length === 0} data-testid="partition">✂ {t('cluster.partition')}</button>
        <button onClick={api.heal} disabled={!partitioned} data-testid="heal">{t('cluster.heal')}</button>
        <span className="hint" title={t('cluster.hint')}>{t('cluster.hint')}</span>
        {mode === 'lockstep' && <span className="hint count">{t('cluster.inFlight', { n: inFlightCount })}</span>}
        <span className="sampled" ref={note} data-testid="anim-sampled" title={t('cluster.sampledTitle')} hidden />
      </div>
      <div className="flow" ref={flowBox}>
          <ReactFlow
            nodes={nodes}
            edges={graph.edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStop={(_e, n) => dragged.current.set(n.id, n.position)}
            onNodeClick={onNodeClick}
            fitView
            fitViewOptions={{ padding: 0.05 }}
            minZoom={0.3}
            maxZoom={2}
            nodesConnectable={false}
          >
            <FlowDots />
            <MessageLayer clock={clock} onMsgClick={onMsgClick} onHover={onHover} />
          </ReactFlow>
      </div>
      <div className="legend">
        <b>{t('cluster.legend')}</b>
        {legendKinds.map((k) => <span key={k}><i style={{ background: kindColor(k) }} />{t(`kind.${k}` as MessageKey)}</span>)}
      </div>
      {hover && !pop && (
        <div className="msghover" data-testid="msg-hover" style={hoverBoxStyle(hover, box.current)}>
          <span style={{ color: kindColor(hover.kind) }}>●</span> {t(`kind.${hover.kind}` as MessageKey)}
          <div className="t">{readableDescribe(hover.text)}</div>
        </div>
      )}
      {pop && (
        <div className="msgpop" data-msg-id={pop.m.msgId} style={popBoxStyle(pop, box.current)}>
          <span style={{ color: kindColor(pop.m.kind) }}>●</span> <b data-testid="msgpop-title">{t('cluster.msgTitle', { kind: t(`kind.${pop.m.kind}` as MessageKey), from: pop.m.from, to: pop.m.to })}</b>
          <div className="t">{readableDescribe(pop.m.text)}</div>
          <div className="b">
            <button onClick={() => { void services.runtime.deliver(pop.m.msgId); setPop(null); }}>{t('cluster.msgDeliver')}</button>
            <button onClick={() => { void services.runtime.drop(pop.m.msgId); setPop(null); }}>{t('cluster.msgDrop')}</button>
            <button onClick={() => { void services.runtime.delay(pop.m.msgId, 500); setPop(null); }}>{t('cluster.msgDelay')}</button>
            <button onClick={() => setPop(null)}>{t('misc.close')}</button>
          </div>
        </div>
      )}
    </div>
  );
}

/** The deliver/drop/delay box beside the clicked message, kept inside the view (below it in the upper half, above it in the lower). */
function popBoxStyle(p: { x: number; y: number }, box: HTMLDivElement | null): React.CSSProperties {
  const r = box?.getBoundingClientRect();
  const w = r?.width ?? 800;
  const h = r?.height ?? 600;
  return { left: Math.max(4, Math.min(p.x, w - 370)), top: p.y < h / 2 ? p.y + 10 : undefined, bottom: p.y < h / 2 ? undefined : h - p.y + 10 };
}

function hoverBoxStyle(h: HoverInfo, box: HTMLDivElement | null): React.CSSProperties {
  const r = box?.getBoundingClientRect();
  const x = h.x - (r?.left ?? 0);
  const y = h.y - (r?.top ?? 0);
  const w = r?.width ?? 800;
  const h0 = r?.height ?? 600;
  // beside the pointer, kept inside the view: below it in the upper half, above it in the lower
  return { left: Math.max(4, Math.min(x + 12, w - 380)), top: y < h0 / 2 ? y + 14 : undefined, bottom: y < h0 / 2 ? undefined : h0 - y + 14 };
}

export function ClusterView(): React.JSX.Element {
  return (
    <ReactFlowProvider>
      <ClusterInner />
    </ReactFlowProvider>
  );
}
