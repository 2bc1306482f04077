/**
 * Lessons: scenario files (*.scn) with bilingual explanations. The whole file is a valid
 * scenario (explanations are comments); `## en:` starts a step, `## zh:` gives its Chinese text,
 * and the scenario lines until the next `## en:` are what the step runs.
 *
 *   # title: Killing the leader
 *   # title.zh: 杀死领导者
 *   # summary: ...
 *   # summary.zh: ...
 *   ## en: Three servers elect a leader.
 *   ## zh: 三台服务器选出领导者。
 *   servers 3
 *   start all
 *   settle
 */
import type { Bilingual } from '../i18n/i18n.ts';

export interface LessonStep {
  readonly text: Bilingual;
  readonly script: string;
}

export interface Lesson {
  readonly id: string;
  readonly title: Bilingual;
  readonly summary: Bilingual;
  readonly steps: readonly LessonStep[];
  readonly source: string;
}

export function parseLesson(id: string, source: string): Lesson {
  const meta: Record<string, string> = {};
  const steps: { en: string[]; zh: string[]; script: string[] }[] = [];
  for (const raw of source.split('\n')) {
    const line = raw.trimEnd();
    const m = /^#\s*(title|summary)(\.zh)?:\s*(.*)$/.exec(line);
    if (m) {
      meta[m[1] + (m[2] ?? '')] = m[3];
      continue;
    }
    const s = /^##\s*(en|zh):\s?(.*)$/.exec(line);
    if (s) {
      if (s[1] === 'en' && (steps.length === 0 || steps[steps.length - 1].script.length > 0 || steps[steps.length - 1].zh.length > 0)) steps.push({ en: [], zh: [], script: [] });
      if (steps.length === 0) steps.push({ en: [], zh: [], script: [] });
      steps[steps.length - 1][s[1] as 'en' | 'zh'].push(s[2]);
      continue;
    }
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (steps.length === 0) steps.push({ en: [], zh: [], script: [] });
    steps[steps.length - 1].script.push(line);
  }
  return {
    id, source,
    title: { en: meta.title ?? id, zh: meta['title.zh'] ?? meta.title ?? id },
    summary: { en: meta.summary ?? '', zh: meta['summary.zh'] ?? '' },
    steps: steps.map((s) => ({ text: { en: s.en.join(' '), zh: s.zh.join('') }, script: s.script.join('\n') })),
  };
}

const files = import.meta.glob('./*.scn', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export const lessons: readonly Lesson[] = Object.entries(files)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, text]) => parseLesson(path.replace(/^\.\/(.*)\.scn$/, '$1'), text));
