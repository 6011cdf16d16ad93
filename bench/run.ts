/**
 * `npm run bench [name…]`: runs every bench/<name>.bench.ts (compiled to dist/bench), in order,
 * or only the named ones. Each module exports `run(): Promise<void>` and prints its own table.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.js$/, '')))
  .sort();

for (const file of files) {
  console.log(`\n## ${file.replace(/\.bench\.js$/, '')}\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<void> };
  await mod.run();
}
