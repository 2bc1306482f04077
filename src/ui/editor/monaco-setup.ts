/**
 * Monaco bundled locally (no CDN): the core editor plus its contributions, no language
 * services (we register only our two small languages), and only the editor worker
 * (stack.md: once getWorker exists it is called for every label).
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/register.all';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { loader } from '@monaco-editor/react';
import { scenarioVerbs } from '../../runtime/scenario/scenario.ts';
import { getCommands } from '../../zkcli/zkcli-main.ts';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

let done = false;

export function setupMonaco(): typeof monaco {
  if (done) return monaco;
  done = true;
  self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  loader.config({ monaco });
  monaco.languages.register({ id: 'zkscenario' });
  monaco.languages.setMonarchTokensProvider('zkscenario', {
    verbs: [...scenarioVerbs()],
    tokenizer: {
      root: [
        [/^\s*##.*$/, 'comment.doc'],
        [/^\s*#.*$/, 'comment'],
        [/^(\s*[A-Za-z_][\w-]*>)(\s*\S*)(.*)$/, ['type', 'keyword.other', 'string']],
        [/^\s*[a-z0-9]+/, { cases: { '@verbs': 'keyword', '@default': 'invalid' } }],
        [/\d+(\.\d+)?/, 'number'],
        [/[|,]|->/, 'operator'],
        [/\b(all|leader|observers)\b/, 'keyword.other'],
      ],
    },
  } as monaco.languages.IMonarchLanguage);
  monaco.languages.registerCompletionItemProvider('zkscenario', {
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const before = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      const inCommand = /^\s*[A-Za-z_][\w-]*>\s*\S*$/.test(before);
      const words = inCommand ? getCommands() : /^\s*\S*$/.test(before) ? scenarioVerbs() : ['all', 'leader'];
      return { suggestions: words.map((w) => ({ label: w, kind: monaco.languages.CompletionItemKind.Keyword, insertText: w, range })) };
    },
  });
  monaco.languages.register({ id: 'zoocfg' });
  monaco.languages.setMonarchTokensProvider('zoocfg', {
    tokenizer: {
      root: [
        [/^\s*#.*$/, 'comment'],
        [/^\s*server\.\d+/, 'type'],
        [/^\s*[\w.]+(?==)/, 'keyword'],
        [/=/, 'operator'],
        [/\d+/, 'number'],
        [/:(participant|observer)\b/, 'attribute'],
      ],
    },
  } as monaco.languages.IMonarchLanguage);
  const rules = (dark: boolean): { token: string; foreground: string; fontStyle?: string }[] => [
    { token: 'keyword', foreground: dark ? '60a5fa' : '1d4ed8', fontStyle: 'bold' },
    { token: 'keyword.other', foreground: dark ? 'c4b5fd' : '6d28d9' },
    { token: 'type', foreground: dark ? 'fbbf24' : 'b45309', fontStyle: 'bold' },
    { token: 'string', foreground: dark ? '86efac' : '15803d' },
    { token: 'attribute', foreground: dark ? 'f9a8d4' : 'be185d' },
    { token: 'number', foreground: dark ? 'fda4af' : 'be123c' },
    { token: 'operator', foreground: dark ? 'e5e7eb' : '374151' },
    { token: 'comment', foreground: dark ? '8b98a8' : '6b7280', fontStyle: 'italic' },
    { token: 'comment.doc', foreground: dark ? 'a7b4c4' : '4b5563', fontStyle: 'italic' },
    { token: 'invalid', foreground: dark ? 'f87171' : 'dc2626' },
  ];
  monaco.editor.defineTheme('zkp-light', { base: 'vs', inherit: true, rules: rules(false), colors: {} });
  monaco.editor.defineTheme('zkp-dark', { base: 'vs-dark', inherit: true, rules: rules(true), colors: {} });
  return monaco;
}
