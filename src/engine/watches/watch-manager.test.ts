import { describe, expect, it } from 'vitest';
import { EventType } from '../protocol/records.ts';
import { pathAndAncestors, WatchManager } from './watch-manager.ts';

describe('WatchManager', () => {
  it('standard watches fire once', () => {
    const w = new WatchManager();
    w.add('/a', 1, 'standard');
    w.add('/a', 2, 'standard');
    expect(w.trigger('/a', EventType.NodeDataChanged)).toEqual([1, 2]);
    expect(w.trigger('/a', EventType.NodeDataChanged)).toEqual([]);
    expect(w.count()).toBe(0);
  });

  it('persistent watches stay; recursive ones see descendants but not child events', () => {
    const w = new WatchManager();
    w.add('/a', 1, 'persistent');
    w.add('/a', 2, 'persistentRecursive');
    expect(w.trigger('/a', EventType.NodeDataChanged)).toEqual([1, 2]);
    expect(w.trigger('/a/b/c', EventType.NodeCreated)).toEqual([2]);
    expect(w.trigger('/a', EventType.NodeChildrenChanged)).toEqual([1]);
    expect(w.count()).toBe(2);
  });

  it('a later standard watch overwrites the mode (3.8.0 behaviour)', () => {
    const w = new WatchManager();
    w.add('/a', 1, 'persistent');
    w.add('/a', 1, 'standard');
    expect(w.trigger('/a', EventType.NodeDataChanged)).toEqual([1]);
    expect(w.trigger('/a', EventType.NodeDataChanged)).toEqual([]);
  });

  it('suppresses watchers already notified and drops a closed connection', () => {
    const w = new WatchManager();
    w.add('/a', 1, 'standard');
    w.add('/a', 2, 'standard');
    expect(w.trigger('/a', EventType.NodeDeleted, new Set([1]))).toEqual([2]);
    w.add('/x', 3, 'standard');
    w.add('/y', 3, 'persistent');
    w.removeWatcher(3);
    expect(w.count()).toBe(0);
  });

  it('removes by mode', () => {
    const w = new WatchManager();
    w.add('/a', 1, 'persistentRecursive');
    expect(w.remove('/a', 1, ['persistent'])).toBe(false);
    expect(w.remove('/a', 1, ['persistentRecursive'])).toBe(true);
  });

  it('path ancestors', () => {
    expect(pathAndAncestors('/a/b')).toEqual(['/a/b', '/a', '/']);
    expect(pathAndAncestors('/')).toEqual(['/']);
  });
});
