#!/usr/bin/env node
// The `amtsblatt` command: checks the Node version, then runs the built server bundle
// (dist/server/main.mjs, made by `npm start` or `node scripts/build-server.mjs`) when it is at least
// as new as every source file; otherwise the TypeScript sources through tsx, so a fresh checkout or
// an edited source never runs stale code.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const major = Number(process.versions.node.split('.')[0]);
// npx puts node_modules/.bin (with the Node 24 of the `node` devDependency) first on PATH;
// when called another way, prefer that binary over an older system Node.
const node = major >= 24 ? process.execPath : join(root, 'node_modules', '.bin', 'node');

/** Newest modification time of any file below `dir` (ms). */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function bundleIsFresh(bundle) {
  try {
    return statSync(bundle).mtimeMs >= newestMtime(join(root, 'src'));
  } catch {
    return false;
  }
}

const bundle = join(root, 'dist', 'server', 'main.mjs');
const entry = bundleIsFresh(bundle) ? ['--enable-source-maps', bundle] : ['--import', 'tsx', join(root, 'src', 'main.ts')];
const args = [...entry, ...process.argv.slice(2)];

// Replace this process where the platform allows it (one process instead of two: less memory, and
// signals reach the server directly); otherwise run it as a child and pass its exit code on.
if (major >= 24 && typeof process.execve === 'function' && process.platform !== 'win32') {
  process.execve(node, [node, ...args], process.env);
}
const result = spawnSync(node, args, { stdio: 'inherit', cwd: process.cwd() });
if (result.error) {
  process.stderr.write(`Amtsblatt konnte nicht starten: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
