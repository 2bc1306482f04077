/**
 * Section "page": what the built app ships, from `vite build` output (no runtime needed).
 *   first-render JS  the entry script of index.html plus every chunk it imports statically
 *                    (the manifest's `imports`, recursively) and modulepreloads, gzip; CSS apart
 *   lazy chunks      everything reachable only through dynamic import(), and among them the
 *                    monaco chunks (monaco must load lazily: stack.md)
 * The baseline column is all JS the build emitted (gzip), so the row reads as a fraction.
 * Page-to-quorum time needs the runtime: see the "browser" section.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { atMost, type Figure, type Section, type SectionOptions } from '../lib/figure.ts';

const section = 'page';
export const firstRenderGzipMaxKb = 300;
const root = join(import.meta.dirname, '..', '..');

interface ManifestChunk {
  file: string;
  src?: string;
  name?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

type Manifest = Record<string, ManifestChunk>;

const kb = (b: number): number => b / 1024;

function gzipSize(file: string): number {
  return gzipSync(readFileSync(file)).length;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** Files the browser fetches before first render: index.html scripts, preloads, their static imports. */
export function firstRenderFiles(outDir: string, manifest: Manifest): Set<string> {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g)) files.add(m[1]);
  for (const m of html.matchAll(/<link[^>]*rel="(?:modulepreload|stylesheet)"[^>]*href="\/?([^"]+)"/g)) files.add(m[1]);
  const byFile = new Map(Object.entries(manifest).map(([key, c]) => [c.file, key]));
  const visit = (key: string, guard: number): void => {
    const c = manifest[key];
    if (!c || guard > 10_000) return;
    files.add(c.file);
    for (const css of c.css ?? []) files.add(css);
    for (const imp of c.imports ?? []) if (!files.has(manifest[imp]?.file ?? '')) visit(imp, guard + 1);
  };
  // only the entries index.html loads: other inputs (e2e/runtime.html) are separate pages
  for (const f of [...files]) {
    const key = byFile.get(f);
    if (key) visit(key, 0);
  }
  return files;
}

const builds = new Map<string, Promise<{ outDir: string; ms: number }>>();

/** `vite build` of the app at `appRoot` into a temporary directory, once per bench run (removed at exit). */
export function buildApp(appRoot = root): Promise<{ outDir: string; ms: number }> {
  let built = builds.get(appRoot);
  built ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'zk-bench-build-'));
    process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
    const { build } = await import('vite');
    const t = performance.now();
    await build({ root: appRoot, logLevel: 'silent', build: { outDir, emptyOutDir: true, manifest: 'manifest.json' } });
    return { outDir, ms: performance.now() - t };
  })();
  builds.set(appRoot, built);
  return built;
}

export const pageSection: Section = {
  name: 'page',
  title: 'Page (vite build output: first-render JS, lazy monaco)',
  run(_opts: SectionOptions): Promise<Figure[]> {
    return measurePage(root);
  },
};

/** The page figures of the app at `appRoot` (the project itself, or a probe app). */
export async function measurePage(appRoot: string): Promise<Figure[]> {
  const { outDir, ms } = await buildApp(appRoot);
  const manifest = JSON.parse(readFileSync(join(outDir, 'manifest.json'), 'utf8')) as Manifest;
  const first = firstRenderFiles(outDir, manifest);
  const all = walk(outDir).map((p) => relative(outDir, p));
  const js = all.filter((f) => f.endsWith('.js'));
  const gz = new Map(all.filter((f) => /\.(js|css)$/.test(f)).map((f) => [f, gzipSize(join(outDir, f))]));
  const firstJs = [...first].filter((f) => f.endsWith('.js')).reduce((a, f) => a + (gz.get(f) ?? 0), 0);
  const firstCss = [...first].filter((f) => f.endsWith('.css')).reduce((a, f) => a + (gz.get(f) ?? 0), 0);
  const allJs = js.reduce((a, f) => a + (gz.get(f) ?? 0), 0);
  const lazy = js.filter((f) => !first.has(f));
  const monacoKeys = Object.entries(manifest).filter(([key, c]) => /monaco/i.test(key) || /monaco/i.test(c.name ?? '') || /monaco/i.test(c.file));
  // by name, and by content: an app chunk that imports monaco statically (a lazy Editor
  // component) carries monaco's code under the component's name; monaco reads the global
  // MonacoEnvironment, a property name minification keeps
  const monacoByContent = js.filter((f) => readFileSync(join(outDir, f), 'utf8').includes('MonacoEnvironment'));
  const monacoFiles = new Set([...monacoKeys.map(([, c]) => c.file), ...js.filter((f) => /monaco|editor\.worker/i.test(f)), ...monacoByContent]);
  const monacoInFirst = [...monacoFiles].filter((f) => first.has(f));
  const monacoGz = [...monacoFiles].reduce((a, f) => a + (gz.get(f) ?? 0), 0);
  const biggest = [...monacoFiles].sort((a, b) => (gz.get(b) ?? 0) - (gz.get(a) ?? 0))[0];
  const figs: Figure[] = [
    {
      section, name: 'JS shipped before first render (gzip)', value: kb(firstJs), unit: 'kB',
      baseline: { name: 'all JS emitted (gzip)', value: kb(allJs), unit: 'kB' },
      target: `< ${firstRenderGzipMaxKb} kB`, status: atMost(kb(firstJs), firstRenderGzipMaxKb),
      note: `${[...first].filter((f) => f.endsWith('.js')).length} JS files before first render (+ ${kb(firstCss).toFixed(1)} kB CSS); vite build ${(ms / 1000).toFixed(1)} s`,
      extra: { firstRender: [...first].map((f) => ({ file: f, gzipBytes: gz.get(f) ?? 0 })) },
    },
    {
      section, name: 'lazily loaded JS (gzip)', value: kb(lazy.reduce((a, f) => a + (gz.get(f) ?? 0), 0)), unit: 'kB', status: 'info',
      note: `${lazy.length} chunks`,
    },
  ];
  if (monacoFiles.size === 0) {
    figs.push({ section, name: 'monaco chunks (lazy, gzip)', value: null, unit: 'kB', status: 'pending', note: 'no monaco chunk in the build yet (UI not merged)' });
  } else {
    figs.push({
      section, name: 'monaco chunks (lazy, gzip)', value: kb(monacoGz), unit: 'kB',
      status: monacoInFirst.length === 0 ? 'ok' : 'below target', target: 'none before first render',
      note: `${monacoFiles.size} chunks, biggest ${biggest} ${kb(gz.get(biggest) ?? 0).toFixed(0)} kB${monacoInFirst.length > 0 ? `; LOADED EAGERLY: ${monacoInFirst.join(', ')}` : ''}`,
      extra: { chunks: [...monacoFiles].map((f) => ({ file: f, gzipBytes: gz.get(f) ?? 0 })) },
    });
  }
  return figs;
}
