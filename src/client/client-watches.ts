/**
 * ZKWatchManager: the client's record of which watches it set, used to decide which watchers
 * an incoming notification triggers (materialize), to re-register watches after a reconnect
 * (SetWatches), and to remove watches (removeWatches generates DataWatchRemoved /
 * ChildWatchRemoved / PersistentWatchRemoved events client-side).
 *
 * All of zkCli's watches use the default watcher, so a path maps to a flag, not a set of
 * watcher objects: an event is delivered once when any registration matches.
 */
import type { ClientCall } from './api.ts';
import { Code } from '../engine/protocol/errors.ts';
import { AddWatchMode, EventType, WatcherType, type WatcherEvent } from '../engine/protocol/records.ts';

type Table = Set<string>;

export class ClientWatches {
  private readonly data: Table = new Set();
  private readonly exist: Table = new Set();
  private readonly child: Table = new Set();
  private readonly persistent: Table = new Set();
  private readonly persistentRecursive: Table = new Set();

  /** WatchRegistration.register: after the reply, with its result code. */
  register(call: ClientCall, err: Code): void {
    switch (call.type) {
      case 'getData':
      case 'getConfig':
        if (call.watch && err === Code.OK) this.data.add(call.type === 'getConfig' ? '/zookeeper/config' : call.path);
        return;
      case 'exists':
        if (!call.watch) return;
        if (err === Code.OK) this.data.add(call.path);
        else if (err === Code.NONODE) this.exist.add(call.path);
        return;
      case 'getChildren':
        if (call.watch && err === Code.OK) this.child.add(call.path);
        return;
      case 'addWatch':
        if (err !== Code.OK) return;
        if (call.mode === AddWatchMode.PERSISTENT_RECURSIVE) this.persistentRecursive.add(call.path);
        else this.persistent.add(call.path);
        return;
      default:
        return;
    }
  }

  /** ZKWatchManager.materialize: true when some registration matches (and one-time ones go). */
  materialize(event: WatcherEvent): boolean {
    const path = event.path;
    if (event.type === EventType.None || path === null) return true;
    let hit = false;
    const take = (t: Table): void => {
      if (t.delete(path)) hit = true;
    };
    switch (event.type) {
      case EventType.NodeDataChanged:
      case EventType.NodeCreated:
        take(this.data);
        take(this.exist);
        break;
      case EventType.NodeChildrenChanged:
        take(this.child);
        break;
      case EventType.NodeDeleted:
        take(this.data);
        take(this.exist);
        take(this.child);
        break;
      default:
        break;
    }
    if (this.persistent.has(path)) hit = true;
    if (event.type !== EventType.NodeChildrenChanged && this.hasRecursiveAbove(path)) hit = true;
    return hit;
  }

  private hasRecursiveAbove(path: string): boolean {
    if (this.persistentRecursive.size === 0) return false;
    let p = path;
    for (let i = 0; i < 10_000; i++) {
      if (this.persistentRecursive.has(p)) return true;
      if (p === '/') return false;
      const idx = p.lastIndexOf('/');
      p = idx <= 0 ? '/' : p.slice(0, idx);
    }
    return false;
  }

  contains(path: string, type: WatcherType): boolean {
    switch (type) {
      case WatcherType.Children: return this.child.has(path);
      case WatcherType.Data: return this.data.has(path) || this.exist.has(path);
      case WatcherType.Any:
        return this.child.has(path) || this.data.has(path) || this.exist.has(path) || this.persistent.has(path) || this.persistentRecursive.has(path);
      case WatcherType.Persistent: return this.persistent.has(path);
      case WatcherType.PersistentRecursive: return this.persistentRecursive.has(path);
    }
  }

  /**
   * ZKWatchManager.removeWatcher after the server answered with `rc`: the event types to
   * deliver, or NoWatcher / the server's error (ignored when `local`).
   */
  remove(path: string, type: WatcherType, local: boolean, rc: Code): { events: EventType[] } | { error: Code } {
    if (!this.contains(path, type)) return { error: Code.NOWATCHER };
    if (!local && rc !== Code.OK) return { error: rc };
    const events: EventType[] = [];
    const child = type === WatcherType.Children || type === WatcherType.Any;
    const data = type === WatcherType.Data || type === WatcherType.Any;
    if (child && this.child.delete(path)) events.push(EventType.ChildWatchRemoved);
    if (data) {
      const d = this.data.delete(path);
      const e = this.exist.delete(path);
      if (d || e) events.push(EventType.DataWatchRemoved);
    }
    const persistentRemoved = (type === WatcherType.Any || type === WatcherType.Persistent) && this.persistent.delete(path);
    const recursiveRemoved = (type === WatcherType.Any || type === WatcherType.PersistentRecursive) && this.persistentRecursive.delete(path);
    if (persistentRemoved || recursiveRemoved) events.push(EventType.PersistentWatchRemoved);
    if (events.length === 0) return { error: Code.NOWATCHER };
    return { events };
  }

  /** Paths for SetWatches after a reconnect. */
  serverPaths(toServer: (p: string) => string): {
    dataWatches: string[]; existWatches: string[]; childWatches: string[];
    persistentWatches: string[]; persistentRecursiveWatches: string[];
  } {
    return {
      dataWatches: [...this.data].map(toServer),
      existWatches: [...this.exist].map(toServer),
      childWatches: [...this.child].map(toServer),
      persistentWatches: [...this.persistent].map(toServer),
      persistentRecursiveWatches: [...this.persistentRecursive].map(toServer),
    };
  }
}
