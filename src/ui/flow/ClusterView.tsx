import { ReactFlow, ReactFlowProvider, Background, useNodesState, useReactFlow, type Node, type NodeMouseHandler } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { InFlightMessage, MessageKind } from '../../runtime/playground/api.ts';
import { useServices } from '../app/services.ts';
import { useT } from '../app/use-t.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import { usePlayground } from '../store/store.ts';
import { divergentServers } from '../store/view-models.ts';
import { AnimClock } from './anim.ts';
import { AnimContext, LinkEdge, MessageClickContext, kindColor } from './LinkEdge.tsx';
import { ClientNode, ServerNode } from './nodes.tsx';
import { toFlowGraph, type ClientAttachment } from './to-flow-graph.ts';

const nodeTypes = { server: ServerNode, client: ClientNode };
const edgeTypes = { link: LinkEdge };
const legendKinds: readonly MessageKind[] = ['notification', 'discovery', 'sync', 'proposal', 'ack', 'commit', 'request'];

function useClients(): ClientAttachment[] {
  const services = useServices();
  useSyncExternalStore(services.consoles.subscribe.bind(services.consoles), services.consoles.getVersion.bind(services.consoles));
  usePlayground((s) => s.vm.lastSeq);
  const status = usePlayground((s) => s.status);
  return services.consoles.all().map((r) => {
    const conn = r.handle.connection?.() ?? { address: null, state: '' };
    const sid = status.find((x) => x.clientAddress === conn.address)?.sid ?? null;
    return { name: r.name, sid, state: conn.state };
  });
}

function ClusterInner(): React.JSX.Element {
  const t = useT();
  const services = useServices();
  const status = usePlayground((s) => s.status);
  const selectedSid = usePlayground((s) => s.selectedSid);
  const picked = usePlayground((s) => s.partitionPick);
  const partitioned = usePlayground((s) => s.partitioned);
  const timeline = usePlayground((s) => s.vm.timeline);
  const inFlightCount = usePlayground((s) => s.vm.inFlight.size);
  const mode = usePlayground((s) => s.mode);
  const api = services.store.getState();
  const clients = useClients();
  const clientsKey = clients.map((c) => `${c.name}@${c.sid}:${c.state}`).join(',');
  const differs = useMemo(() => divergentServers(status), [status]);
  const graph = useMemo(
    () => toFlowGraph({ status, selectedSid, picked, partitioned, differs, clients }),
    [status, selectedSid, picked, partitioned, differs, clientsKey],
  );
  const [nodes, setNodes, onNodesChange] = useNodesState<Node>(graph.nodes);
  const dragged = useRef(new Map<string, { x: number; y: number }>());
  useEffect(() => {
    setNodes(graph.nodes.map((n) => ({ ...n, position: dragged.current.get(n.id) ?? n.position })));
  }, [graph.nodes, setNodes]);

  // refit when servers or clients come and go (the container's size is fixed by the layout)
  const flow = useReactFlow();
  const shapeKey = `${graph.nodes.length}`;
  useEffect(() => {
    const id = setTimeout(() => void flow.fitView({ padding: 0.12, duration: 200 }), 60);
    return () => clearTimeout(id);
  }, [shapeKey, flow]);

  const clock = useMemo(() => new AnimClock(), []);
  const lastAnimated = useRef(-1);
  useEffect(() => {
    const fresh = timeline.filter((m) => m.sentSeq > lastAnimated.current);
    if (fresh.length === 0) return;
    lastAnimated.current = Math.max(...fresh.map((m) => m.sentSeq));
    if (fresh.length > 120) return; // a burst (settle, replay): skip the animation
    clock.add(fresh.map((m) => ({ key: `a${m.msgId}`, from: m.from, to: m.to, kind: m.kind, text: m.text, dropped: m.dropped })), performance.now());
  }, [timeline, clock]);

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
        <span className="hint">{t('cluster.hint')}</span>
        {mode === 'lockstep' && <span className="hint">{t('cluster.inFlight', { n: inFlightCount })}</span>}
      </div>
      <div className="flow">
      <AnimContext.Provider value={clock}>
        <MessageClickContext.Provider value={onMsgClick}>
          <ReactFlow
            nodes={nodes}
            edges={graph.edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onNodeDragStop={(_e, n) => dragged.current.set(n.id, n.position)}
            onNodeClick={onNodeClick}
            fitView
            fitViewOptions={{ padding: 0.12 }}
            minZoom={0.3}
            maxZoom={2}
            proOptions={{ hideAttribution: true }}
            nodesConnectable={false}
          >
            <Background gap={24} size={1} />
          </ReactFlow>
        </MessageClickContext.Provider>
      </AnimContext.Provider>
      </div>
      <div className="legend">
        <b>{t('cluster.legend')}</b>
        {legendKinds.map((k) => <span key={k}><i style={{ background: kindColor(k) }} />{t(`kind.${k}` as MessageKey)}</span>)}
      </div>
      {pop && (
        <div className="msgpop" style={{ left: Math.min(pop.x, 400), top: pop.y + 10 }}>
          <b>{t('cluster.msgTitle', { id: pop.m.msgId })}</b> <span style={{ color: kindColor(pop.m.kind) }}>● {t(`kind.${pop.m.kind}` as MessageKey)}</span> {pop.m.from} → {pop.m.to}
          <div className="t">{pop.m.text}</div>
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

export function ClusterView(): React.JSX.Element {
  return (
    <ReactFlowProvider>
      <ClusterInner />
    </ReactFlowProvider>
  );
}
