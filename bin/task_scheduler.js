#!/usr/bin/env node
// The installed executable (task_scheduler / rmf-task-scheduler): runs the compiled CLI.
import('../dist/src/cli.js')
  .then((cli) => cli.main(process.argv.slice(2)))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
