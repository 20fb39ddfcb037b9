#!/usr/bin/env node
// The `amtsblatt` command: checks the Node version, then runs the TypeScript CLI through tsx.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
// npx puts node_modules/.bin (with the Node 24 of the `node` devDependency) first on PATH;
// when called another way, prefer that binary over an older system Node.
const node = major >= 24 ? process.execPath : join(root, 'node_modules', '.bin', 'node');
const result = spawnSync(node, ['--import', 'tsx', join(root, 'src', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: process.cwd(),
});
if (result.error) {
  process.stderr.write(`Amtsblatt konnte nicht starten: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
