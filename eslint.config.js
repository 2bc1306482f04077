// Layering (ARCHITECTURE.md): ui -> runtime -> {zkcli -> client, engine}. Imports point one way.
import tseslint from 'typescript-eslint';

const pureBans = {
  'no-restricted-globals': ['error',
    { name: 'setTimeout', message: 'engine/client/zkcli are sans-IO: time comes from the host.' },
    { name: 'setInterval', message: 'engine/client/zkcli are sans-IO: time comes from the host.' },
    { name: 'performance', message: 'engine/client/zkcli never read a clock.' },
    { name: 'crypto', message: 'use engine/util/sha1.ts; randomness comes from an injected Rng.' },
    { name: 'Date', message: 'engine/client/zkcli never read a clock (format times with engine/util/java-date.ts).' },
    { name: 'window', message: 'no DOM in the pure layers.' },
    { name: 'process', message: 'no Node in the pure layers.' },
  ],
  'no-restricted-properties': ['error',
    { object: 'Math', property: 'random', message: 'use the injected Rng.' },
  ],
};

function layer(files, forbidden) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        patterns: forbidden.map((dir) => ({
          group: [`**/${dir}/*`, `**/${dir}`],
          message: `layering: this layer must not import from src/${dir} (see ARCHITECTURE.md)`,
        })),
      }],
    },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  layer(['src/engine/**/*.ts'], ['runtime', 'ui', 'client', 'zkcli']),
  layer(['src/client/**/*.ts'], ['runtime', 'ui', 'zkcli']),
  layer(['src/zkcli/**/*.ts'], ['runtime', 'ui']),
  layer(['src/runtime/**/*.ts'], ['ui']),
  { files: ['src/engine/**/*.ts', 'src/client/**/*.ts', 'src/zkcli/**/*.ts'], ignores: ['**/*.test.ts'], rules: pureBans },
);
