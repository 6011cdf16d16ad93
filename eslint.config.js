// Lint rules, including the layer boundaries of the architecture: each folder may import only
// what its layer allows (recurrence: luxon only; only store/ imports sequelize; only http/ koa;
// only ros/ rclnodejs), and nothing but runtime/wallClock.ts reads the system time.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const layer = (folder, allowedFolders) => ({
  target: `./src/${folder}`,
  from: './src',
  except: [`./${folder}`, ...allowedFolders.map((f) => `./${f}`)],
  message: `src/${folder} may import only from ${[folder, ...allowedFolders].join(', ')} (see STYLE.md, Boundaries).`,
});

// Which folder may import which package. ESLint replaces (does not merge) a rule's options when
// several config objects match one file, so each folder gets one combined rule.
const OWNED = {
  store: ['sequelize', 'umzug', 'sqlite3', 'pg', 'pg-hstore', 'mysql2', 'mariadb'],
  http: ['koa', '@koa/router', '@koa/cors', '@asteasolutions/zod-to-openapi'],
  ros: ['rclnodejs'],
  runtime: ['xstate'],
};
const FOLDERS = ['recurrence', 'rules', 'runtime', 'rmf', 'ros', 'store', 'http'];
function packageRules() {
  const configs = FOLDERS.map((folder) => {
    const banned = Object.entries(OWNED).filter(([owner]) => owner !== folder);
    const paths = banned.flatMap(([owner, pkgs]) =>
      pkgs.map((name) => ({ name, message: `Only src/${owner}/ imports ${name}.` })),
    );
    const patterns = banned.flatMap(([owner, pkgs]) =>
      pkgs.map((p) => ({ group: [`${p}/*`], message: `Only src/${owner}/ imports ${p}.` })),
    );
    if (folder === 'recurrence')
      patterns.push({ regex: '^(?!luxon$|\\./).*', message: 'src/recurrence imports luxon only.' });
    return {
      files: [`src/${folder}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
    };
  });
  return configs;
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bin/**',
      'launch/**',
      '.stryker-tmp/**',
      'reports/**',
    ],
  },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            layer('recurrence', []),
            // The rule bodies' wire schemas embed RMF's task schema (rules/ruleSchemas.ts).
            layer('rules', ['recurrence', 'rmf/taskSpecSchema.ts', 'rmf/zodIssues.ts']),
            layer('rmf', ['rules', 'recurrence', 'runtime/ports.ts']),
            layer('store', ['rules', 'recurrence', 'runtime/ports.ts', 'log.ts']),
            layer('runtime', ['rules', 'recurrence', 'rmf', 'log.ts']),
            layer('ros', ['rules', 'rmf', 'runtime/ports.ts', 'runtime/Scheduler.ts', 'log.ts', 'Config.ts']),
            layer('http', [
              'rules',
              'recurrence',
              'runtime/ports.ts',
              'runtime/Scheduler.ts',
              'runtime/metrics.ts',
              'log.ts',
              'Config.ts',
            ]),
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time is injected: use the Clock (runtime/ports.ts).' },
        {
          object: 'DateTime',
          property: 'now',
          message: 'Time is injected: use the Clock (runtime/ports.ts).',
        },
        { object: 'DateTime', property: 'local', message: 'Build zoned date-times with an explicit zone.' },
      ],
    },
  },
  ...packageRules(),
  {
    files: [
      'src/runtime/wallClock.ts',
      'src/main.ts',
      'src/cli.ts',
      'src/config.ts',
      'test/**/*.ts',
      'bench/**/*.ts',
    ],
    rules: { 'no-restricted-properties': 'off' },
  },
);
