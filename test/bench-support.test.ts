/**
 * The pieces `npm run bench` relies on, and the engine changes its profiling led to. No test
 * here asserts a time (DESIGN.md): they check that the benches measure what they claim and
 * that the memory and speed fixes keep ZooKeeper's behaviour.
 */
import { describe, expect, it } from 'vitest';
import { addChild, DataTree, newZnode, noChildren } from '../src/engine/datatree/data-tree.ts';
import { openAclUnsafe, type ACL } from '../src/engine/protocol/records.ts';
import { snapshotTree, restoreTree } from '../src/engine/quorum/tree-snapshot.ts';
import { PipelineHost } from '../bench/sections/engine.ts';
import { firstRenderFiles } from '../bench/sections/page.ts';
import { formatTable } from '../bench/lib/table.ts';
import { median, percentile, slope } from '../bench/lib/stats.ts';
import { createTxn, TxnSource } from '../bench/lib/tree-fixture.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('shared empty children set', () => {
  it('leaves share it, a first child gives the node its own set, and it refuses add()', () => {
    const a = newZnode(null, openAclUnsafe);
    const b = newZnode(null, openAclUnsafe);
    expect(a.children).toBe(noChildren);
    expect(b.children).toBe(noChildren);
    addChild(a, 'x');
    expect([...a.children]).toEqual(['x']);
    expect(b.children.size).toBe(0);
    expect(noChildren.size).toBe(0);
    expect(() => noChildren.add('y')).toThrow(/addChild/);
  });

  it('create and delete through the tree keep every other leaf empty', () => {
    const src = new TxnSource();
    const tree = new DataTree();
    tree.applyTxn(src.hdr(), createTxn('/a', 0));
    tree.applyTxn(src.hdr(), createTxn('/b', 0));
    tree.applyTxn(src.hdr(), createTxn('/a/c', 0));
    tree.applyTxn(src.hdr(), { type: 'delete', path: '/a/c' });
    expect(tree.childrenOf('/a')).toEqual([]);
    expect(tree.childrenOf('/b')).toEqual([]);
    expect(noChildren.size).toBe(0);
    expect(tree.statOf('/a').cversion).toBe(2);
  });

  it('a restored snapshot keeps childless nodes on the shared set', () => {
    const src = new TxnSource();
    const tree = new DataTree();
    tree.applyTxn(src.hdr(), createTxn('/a', 0));
    const back = restoreTree(snapshotTree(tree, []), false).tree;
    expect(back.get('/a')!.children).toBe(noChildren);
    back.applyTxn(src.hdr(), createTxn('/a/b', 0));
    expect(back.childrenOf('/a')).toEqual(['b']);
    expect(tree.childrenOf('/a')).toEqual([]);
  });
});

describe('ACL lists interned by the tree', () => {
  it('equal lists share one array; different lists do not', () => {
    const tree = new DataTree();
    const src = new TxnSource();
    const acl = (perms: number): ACL[] => [{ perms, id: { scheme: 'world', id: 'anyone' } }];
    tree.applyTxn(src.hdr(), { ...createTxn('/a', 0), acl: acl(31) } as never);
    tree.applyTxn(src.hdr(), { ...createTxn('/b', 0), acl: acl(31) } as never);
    tree.applyTxn(src.hdr(), { ...createTxn('/c', 0), acl: acl(1) } as never);
    expect(tree.get('/a')!.acl).toBe(tree.get('/b')!.acl);
    expect(tree.get('/c')!.acl).not.toBe(tree.get('/a')!.acl);
    expect(tree.get('/c')!.acl).toEqual(acl(1));
    tree.applyTxn(src.hdr(), { type: 'setACL', path: '/b', acl: acl(1), version: 1 });
    expect(tree.get('/b')!.acl).toBe(tree.get('/c')!.acl);
    expect(tree.get('/a')!.acl).toEqual(acl(31));
  });
});

describe('bench plumbing', () => {
  it('PipelineHost answers every pipelined request without errors', () => {
    const host = new PipelineHost();
    host.run([{ type: 'create', path: '/p', data: null, acl: openAclUnsafe, mode: 0, ttl: -1 }], 1);
    host.run(Array.from({ length: 300 }, (_, i) => ({ type: 'create' as const, path: `/p/n${i}`, data: new Uint8Array(100), acl: openAclUnsafe, mode: 0 as const, ttl: -1 })), 50);
    host.run(Array.from({ length: 300 }, (_, i) => ({ type: 'getData' as const, path: `/p/n${i}`, watch: false })), 50);
    expect(host.errors).toBe(0);
    expect(host.replies).toBe(601);
    expect(host.persisted).toBe(301 + 1); // + createSession
    expect(host.server.tree.get('/p')!.children.size).toBe(300);
  });

  it('first-render files follow static imports only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-page-'));
    writeFileSync(join(dir, 'index.html'), '<script type="module" crossorigin src="/assets/index.js"></script><link rel="modulepreload" crossorigin href="/assets/react.js">');
    const manifest = {
      'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_react.js'], dynamicImports: ['src/editor.tsx'], css: ['assets/index.css'] },
      '_react.js': { file: 'assets/react.js', imports: ['_shared.js'] },
      '_shared.js': { file: 'assets/shared.js' },
      'src/editor.tsx': { file: 'assets/editor.js', isDynamicEntry: true, imports: ['_monaco.js'] },
      '_monaco.js': { file: 'assets/monaco.js' },
    };
    expect([...firstRenderFiles(dir, manifest)].sort()).toEqual(['assets/index.css', 'assets/index.js', 'assets/react.js', 'assets/shared.js']);
  });

  it('stats and the table', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
    expect(slope([0, 1, 2], [1, 3, 5])).toBe(2);
    const t = formatTable([{ section: 's', name: 'n', value: null, unit: 'ms', status: 'pending', note: 'needs browser runtime' }]);
    expect(t).toContain('pending (needs browser runtime)');
  });
});
