#!/usr/bin/env node
// The installed executable (task_scheduler / rmf-task-scheduler): runs the compiled CLI, built
// once at install (`npm ci` runs `npm run build`) or by `npm run build` after a change.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/src/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(`task_scheduler is not built (${cli.pathname} is missing): run "npm run build" first`);
  process.exit(1);
}
import(cli.href)
  .then((mod) => mod.main(process.argv.slice(2)))
  .then((code) => {
    if (typeof code === 'number') process.exitCode = code;
  })
  .catch((err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
