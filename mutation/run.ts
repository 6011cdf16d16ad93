/**
 * `npm run test:mutation [-- <area>…] [--concurrency N] [--force]`: mutation testing of the code
 * where a wrong answer hurts most (mutation/areas.ts), one area after another, with StrykerJS and
 * the AVA runner beside this file. Incremental: a rerun tests only the mutants whose code or tests
 * changed since the last run on this machine (reports/mutation/<area>-incremental.json);
 * `--force` measures every mutant again. Reports: reports/mutation/<area>.html and .json, and
 * <area>-survivors.txt (each survivor listed as soon as it survives).
 */
import { cpSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MutantResult, PartialStrykerOptions } from '@stryker-mutator/api/core';
import { Stryker } from '@stryker-mutator/core';
import { AREAS } from './areas.js';

function parse(argv: string[]): { areas: string[]; concurrency: number; force: boolean } {
  const areas: string[] = [];
  let concurrency = 1;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--force') force = true;
    else if (arg === '--concurrency') {
      concurrency = Number(argv[++i]);
      if (!Number.isInteger(concurrency) || concurrency < 1) {
        throw new Error(`--concurrency takes a whole number of test runners (1 or more), not ${argv[i]}`);
      }
    } else if (arg in AREAS) areas.push(arg);
    else
      throw new Error(
        `unknown area or option ${JSON.stringify(arg)}: the areas are ${Object.keys(AREAS).join(', ')}`,
      );
  }
  return { areas: areas.length > 0 ? areas : Object.keys(AREAS), concurrency, force };
}

/**
 * The runner, copied out of dist/: Stryker starts a new runner process after each timeout, and
 * loads the plugin again then; a rebuild of dist/ meanwhile must not take it away.
 */
function pluginCopy(): string {
  const copy = resolve('reports/mutation/plugin');
  cpSync(dirname(fileURLToPath(import.meta.url)), copy, { recursive: true });
  return resolve(copy, 'avaRunner.js');
}

function options(area: string, concurrency: number, force: boolean): PartialStrykerOptions {
  const { mutate, tests } = AREAS[area]!;
  const reports = `reports/mutation/${area}`;
  return {
    mutate: mutate(),
    testRunner: 'ava',
    appendPlugins: [pluginCopy()],
    // The sandbox gets the sources with the mutants switched in, and compiles them once.
    buildCommand: 'tsc -p tsconfig.json',
    ignorePatterns: [
      'dist',
      'bench',
      'web',
      'coverage',
      '.bench-tmp',
      'test-results',
      'reports',
      '*.sqlite',
      '*.sqlite-*',
    ],
    coverageAnalysis: 'off',
    concurrency,
    incremental: true,
    incrementalFile: `${reports}-incremental.json`,
    force,
    reporters: ['clear-text', 'progress', 'html', 'json', 'survivors'],
    htmlReporter: { fileName: `${reports}.html` },
    jsonReporter: { fileName: `${reports}.json` },
    thresholds: { high: 90, low: 80, break: null },
    ava: { tests, shared: resolve('../shared'), survivors: `${reports}-survivors.txt` },
  } as PartialStrykerOptions;
}

/** The figures test/MUTATION.md records. */
function summary(area: string, results: MutantResult[]): string {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const killed = count('Killed');
  const timeout = count('Timeout');
  const survived = count('Survived') + count('NoCoverage');
  const errors = count('CompileError') + count('RuntimeError');
  const ignored = count('Ignored');
  const detected = killed + timeout;
  const score = detected + survived === 0 ? 100 : (100 * detected) / (detected + survived);
  return (
    `${area}: ${results.length} mutants: ${killed} killed, ${timeout} timeout, ${survived} survived, ` +
    `${ignored} ignored (equivalent, with the reason in the source), ${errors} errors; ` +
    `score ${score.toFixed(2)} %`
  );
}

const { areas, concurrency, force } = parse(process.argv.slice(2));
const lines: string[] = [];
for (const area of areas) {
  const results = await new Stryker(options(area, concurrency, force)).runMutationTest();
  lines.push(summary(area, results));
}
console.log(`\n${lines.join('\n')}`);
