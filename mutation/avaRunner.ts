/**
 * A Stryker test runner for AVA. Each run is a fresh `ava --tap` process in Stryker's sandbox
 * (built once there by the build command), over the area's compiled test files, with the active
 * mutant in the environment: so every mutant, including one in code run at import time, is active
 * from the first line. TAP gives each test's title and outcome; each test is reported with its
 * source file, which is what lets `--incremental` see which tests changed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  INSTRUMENTER_CONSTANTS,
  type MutantResult,
  type Position,
  type StrykerOptions,
} from '@stryker-mutator/api/core';
import type { Logger } from '@stryker-mutator/api/logging';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import {
  type DryRunOptions,
  type DryRunResult,
  DryRunStatus,
  type MutantRunOptions,
  type MutantRunResult,
  type TestResult,
  type TestRunner,
  TestStatus,
  toMutantRunResult,
} from '@stryker-mutator/api/test-runner';

/** This runner's part of the Stryker options. */
export interface AvaRunnerOptions {
  /** Test sources (test/…/*.test.ts), run as their compiled dist/ files. */
  tests: string[];
  /** The directory the tests read as `../shared` (absolute), linked beside the sandbox. */
  shared: string;
  /** Where each surviving mutant is written as soon as it survives (one line each). */
  survivors: string;
}

export const strykerValidationSchema = {
  $schema: 'http://json-schema.org/draft-07/schema',
  type: 'object',
  properties: {
    ava: {
      type: 'object',
      properties: {
        tests: { type: 'array', items: { type: 'string' } },
        shared: { type: 'string' },
        survivors: { type: 'string' },
      },
      required: ['tests', 'shared', 'survivors'],
    },
  },
};

/** `test/a/b.test.ts` → `dist/test/a/b.test.js`. */
export const compiledTest = (source: string): string => join('dist', source.replace(/\.ts$/, '.js'));

/**
 * How AVA titles a test of `source` when several files run: its path from the files' common
 * folder, without `.test.ts`, then the title (`runtime › ruleMachine › title` when test/rules
 * files run too; `ruleMachine › title` when only test/runtime ones do).
 */
export function titlePrefix(source: string, all: readonly string[]): string {
  const folders = all.map((f) => f.split('/').slice(0, -1));
  const common: string[] = [];
  for (let i = 0; folders.every((f) => i < f.length && f[i] === folders[0]![i]); i++)
    common.push(folders[0]![i]!);
  const parts = source
    .replace(/\.test\.ts$/, '')
    .split('/')
    .slice(common.length);
  return `${parts.join(' › ')} › `;
}

/**
 * Where the test titled `title` starts in `source` (zero-based), found by its title as a string
 * literal; undefined for a title built at run time. With a start, Stryker's incremental mode
 * knows a test as the lines up to the next one: editing one test reruns only its mutants.
 */
export function testStart(source: string, title: string): Position | undefined {
  const literals = [`'${title.replace(/'/g, "\\'")}'`, `"${title}"`, `\`${title}\``];
  for (const literal of literals) {
    const at = source.indexOf(literal);
    if (at < 0) continue;
    const before = source.slice(0, at).split('\n');
    return { line: before.length - 1, column: before[before.length - 1]!.length };
  }
  return undefined;
}

interface TapOutcome {
  title: string;
  status: TestStatus;
}

/** The test lines of AVA's TAP output (`ok 3 - title`, `not ok 4 - title`, `# SKIP`/`# TODO`). */
export function readTap(output: string): TapOutcome[] {
  const outcomes: TapOutcome[] = [];
  for (const line of output.split('\n')) {
    const m = /^(not ok|ok) \d+ - (.*)$/.exec(line);
    if (!m) continue;
    const directive = /\s+# (SKIP|TODO)\b.*$/i.exec(m[2]!);
    const title = directive ? m[2]!.slice(0, directive.index) : m[2]!;
    const status = directive ? TestStatus.Skipped : m[1] === 'ok' ? TestStatus.Success : TestStatus.Failed;
    outcomes.push({ title, status });
  }
  return outcomes;
}

interface AvaRun {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
  ms: number;
}

export class AvaTestRunner implements TestRunner {
  static inject = tokens(commonTokens.logger, commonTokens.options);
  private readonly settings: AvaRunnerOptions;
  private running: ChildProcess | null = null;
  private readonly sources = new Map<string, string>();

  constructor(
    private readonly log: Logger,
    options: StrykerOptions,
  ) {
    this.settings = (options as StrykerOptions & { ava: AvaRunnerOptions }).ava;
  }

  capabilities() {
    return { reloadEnvironment: true };
  }

  async init(): Promise<void> {
    // The tests read `../shared` from the project root; in the sandbox that is beside it.
    const link = resolve('..', 'shared');
    if (!existsSync(link)) {
      try {
        symlinkSync(this.settings.shared, link, 'dir');
      } catch (error) {
        // Another runner of this run made it meanwhile.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    for (const source of this.settings.tests) {
      if (!existsSync(compiledTest(source))) {
        throw new Error(`${compiledTest(source)} is not in the sandbox: did the build command run?`);
      }
    }
  }

  async dryRun(options: DryRunOptions): Promise<DryRunResult> {
    const run = await this.ava(undefined, options.timeout, false);
    if (run.timedOut) return { status: DryRunStatus.Timeout, reason: `over ${options.timeout} ms` };
    const tests = this.results(run);
    if (run.exitCode !== 0 && !tests.some((t) => t.status === TestStatus.Failed)) {
      return { status: DryRunStatus.Error, errorMessage: `ava exited with ${run.exitCode}:\n${run.output}` };
    }
    return { status: DryRunStatus.Complete, tests };
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    const run = await this.ava(options.activeMutant.id, options.timeout, !options.disableBail);
    if (run.timedOut) return toMutantRunResult({ status: DryRunStatus.Timeout, reason: 'ava was stopped' });
    const tests = this.results(run);
    if (run.exitCode !== 0 && !tests.some((t) => t.status === TestStatus.Failed)) {
      // A crash before any test reported (the mutant broke an import): the tests failed.
      tests.push({
        id: 'ava',
        name: 'ava',
        status: TestStatus.Failed,
        failureMessage: run.output.slice(-2_000),
        timeSpentMs: run.ms,
      });
    }
    return toMutantRunResult({ status: DryRunStatus.Complete, tests });
  }

  async dispose(): Promise<void> {
    this.stop();
  }

  private results(run: AvaRun): TestResult[] {
    const several = this.settings.tests.length > 1;
    return readTap(run.output).map(({ title, status }): TestResult => {
      const source = several
        ? this.settings.tests.find((s) => title.startsWith(titlePrefix(s, this.settings.tests)))
        : this.settings.tests[0];
      const start =
        source === undefined
          ? undefined
          : testStart(
              this.source(source),
              title.slice(several ? titlePrefix(source, this.settings.tests).length : 0),
            );
      const base = {
        id: title,
        name: title,
        timeSpentMs: 0,
        ...(source ? { fileName: resolve(source) } : {}),
        ...(start ? { startPosition: start } : {}),
      };
      return status === TestStatus.Failed
        ? { ...base, status, failureMessage: `${title} failed` }
        : { ...base, status };
    });
  }

  private source(file: string): string {
    let text = this.sources.get(file);
    if (text === undefined) {
      text = readFileSync(file, 'utf8');
      this.sources.set(file, text);
    }
    return text;
  }

  private ava(activeMutant: string | undefined, timeoutMs: number, bail: boolean): Promise<AvaRun> {
    const started = Date.now();
    const args = [
      join('node_modules', 'ava', 'entrypoints', 'cli.mjs'),
      '--tap',
      ...(bail ? ['--fail-fast'] : []),
      ...this.settings.tests.map(compiledTest),
    ];
    const env = { ...process.env };
    delete env[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE];
    if (activeMutant !== undefined) env[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE] = activeMutant;
    return new Promise((done, fail) => {
      // Its own process group, so a timeout stops AVA's workers too.
      const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.running = child;
      let output = '';
      let timedOut = false;
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => {
        timedOut = true;
        this.stop();
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        fail(error);
      });
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        this.running = null;
        if (timedOut) this.log.debug(`mutant ${activeMutant}: ava stopped after ${timeoutMs} ms`);
        done({ exitCode, output, timedOut, ms: Date.now() - started });
      });
    });
  }

  private stop(): void {
    const pid = this.running?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/**
 * A reporter that lists each survivor the moment it survives (`file:line:column mutator →
 * replacement`), so that tests can be written while the rest of the area is still measured.
 */
export class SurvivorLog {
  static inject = tokens(commonTokens.options);
  private readonly file: string;

  constructor(options: StrykerOptions) {
    this.file = (options as StrykerOptions & { ava: AvaRunnerOptions }).ava.survivors;
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutantTested(result: Readonly<MutantResult>): void {
    if (result.status !== 'Survived' && result.status !== 'NoCoverage') return;
    const { line, column } = result.location.start;
    const replacement = result.replacement.replace(/\s+/g, ' ').slice(0, 160);
    appendFileSync(
      this.file,
      `${relative(process.cwd(), result.fileName)}:${line}:${column + 1} ${result.mutatorName} → ${replacement}\n`,
    );
  }
}

export const strykerPlugins = [
  declareClassPlugin(PluginKind.TestRunner, 'ava', AvaTestRunner),
  declareClassPlugin(PluginKind.Reporter, 'survivors', SurvivorLog),
];
