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
        [/^\s*[A-Za-z_][\w-]*>/, { token: 'type', next: '@command' }],
        [/^\s*[a-z0-9]+/, { cases: { '@verbs': 'keyword', '@default': 'invalid' } }],
        [/\d+(\.\d+)?/, 'number'],
        [/[|,]|->/, 'operator'],
        [/\b(all|leader|observers)\b/, 'keyword.other'],
      ],
      command: [
        [/$/, { token: '', next: '@pop' }],
        [/\/[^\s]*/, 'string'],
        [/-[a-zA-Z]+/, 'attribute'],
        [/\S+/, 'identifier'],
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
  return monaco;
}
