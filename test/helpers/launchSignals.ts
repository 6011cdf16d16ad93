/**
 * Ctrl-C in the terminal of `ros2 launch`, as the node's process lives through it: the terminal
 * sends SIGINT to the whole foreground process group (launch and the node), launch then sends
 * SIGINT to each child it started; a child still running after launch's `sigterm_timeout` (5 s)
 * gets SIGTERM, and after `sigkill_timeout` (5 s more) SIGKILL (launch's ExecuteProcess
 * `_shutdown_process`). Launch reports an exit code 0 as "process has finished cleanly" and
 * anything else (a signal: −signum) as "process has died".
 */
import type { ChildProcess } from 'node:child_process';

export interface LaunchStop {
  /** What launch prints for the process. */
  report: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Signals sent, in order, with the time since Ctrl-C. */
  sent: Array<{ signal: NodeJS.Signals; atMs: number }>;
  /** From Ctrl-C to exit. */
  tookMs: number;
}

const SIGNUM: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

export async function ctrlCUnderLaunch(
  child: ChildProcess,
  options: { forwardAfterMs?: number; sigtermTimeoutMs?: number; sigkillTimeoutMs?: number } = {},
): Promise<LaunchStop> {
  const sigtermAfter = options.sigtermTimeoutMs ?? 5_000;
  const sigkillAfter = sigtermAfter + (options.sigkillTimeoutMs ?? 5_000);
  const start = performance.now();
  const sent: LaunchStop['sent'] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null)
      resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const send = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    sent.push({ signal, atMs: Math.round(performance.now() - start) });
    child.kill(signal);
  };
  send('SIGINT'); // the terminal, to the process group
  // launch, to its child, once its own event loop has handled the terminal's SIGINT
  const forward = setTimeout(() => send('SIGINT'), options.forwardAfterMs ?? 100);
  const term = setTimeout(() => send('SIGTERM'), sigtermAfter);
  const kill = setTimeout(() => send('SIGKILL'), sigkillAfter);
  const { code, signal } = await exited;
  clearTimeout(forward);
  clearTimeout(term);
  clearTimeout(kill);
  const returncode = code ?? -(SIGNUM[signal as NodeJS.Signals] ?? 0);
  return {
    report:
      returncode === 0
        ? `process has finished cleanly [pid ${child.pid}]`
        : `process has died [pid ${child.pid}, exit code ${returncode}]`,
    code,
    signal,
    sent,
    tookMs: Math.round(performance.now() - start),
  };
}
