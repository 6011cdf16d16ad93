/** Where a command writes: stdout for results, stderr for messages. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
};

/** Exit codes: 0 ok, 1 failure, 2 bad usage or configuration. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * A reader that stops early (`task_scheduler openapi | head -c 100`) closes the pipe: the rest of
 * the output has nowhere to go, which is what the reader asked for. Ends the process quietly with
 * exit 0 instead of an EPIPE stack trace; any other write error still fails loudly.
 */
export function endQuietlyOnClosedPipe(
  stream: NodeJS.WriteStream = process.stdout,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(EXIT_OK);
    else throw err;
  });
}
