// Lint, including the layer rules of the design: imports point one way,
// common <- codecs <- transport <- clients <- services <- (main | web | cli); renderer sees only common.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = ['node:*', 'fs', 'fs/*', 'net', 'tls', 'http', 'https', 'child_process', 'os', 'path', 'crypto', 'zlib', 'stream', 'events', 'buffer', 'electron', 'ws'];
const layer = (name, forbidden, extra = []) => ({
  files: [`src/${name}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((f) => ({ group: [`**/${f}`, `**/${f}/**`], message: `src/${name} must not import src/${f} (layer rule)` })),
          ...extra,
        ],
      },
    ],
  },
});
const noNode = NODE_BUILTINS.map((m) => ({ group: [m], message: 'pure code: no Node, Electron or DOM APIs here' }));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'coverage/', 'test-results/', '**/*.py'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  layer('common', ['codecs', 'transport', 'clients', 'services', 'main', 'preload', 'web', 'cli', 'renderer'], noNode),
  layer('codecs', ['transport', 'clients', 'services', 'main', 'preload', 'web', 'cli', 'renderer'], noNode),
  layer('transport', ['clients', 'services', 'main', 'preload', 'web', 'cli', 'renderer']),
  layer('clients', ['services', 'main', 'preload', 'web', 'cli', 'renderer']),
  layer('services', ['main', 'preload', 'web', 'cli', 'renderer']),
  layer('main', ['web', 'cli', 'renderer', 'preload']),
  layer('web', ['main', 'cli', 'renderer', 'preload']),
  layer('cli', ['main', 'renderer', 'preload']),
  layer('preload', ['codecs', 'transport', 'clients', 'services', 'main', 'web', 'cli', 'renderer']),
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src/*', '!**/src/common', '**/src/!(common)/**'], message: 'the renderer imports only src/common' },
            ...noNode,
          ],
        },
      ],
      // the same renderer runs in Electron, which has no prompt(): it throws
      'no-restricted-globals': ['error', { name: 'prompt', message: 'Electron has no prompt(): ask in the page' }],
      'no-restricted-properties': ['error', { object: 'window', property: 'prompt', message: 'Electron has no prompt(): ask in the page' }],
    },
  },
);
