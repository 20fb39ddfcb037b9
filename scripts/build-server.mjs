// Bundles the server (src/main.ts and everything it imports from src/) into dist/server/main.mjs,
// so production runs plain JavaScript and transpiles no TypeScript at start or at run time.
// Packages stay external: Node loads them from node_modules as usual (native addons, WASM, workers).
// Usage: node scripts/build-server.mjs [outfile]  (tests build into a temporary folder)
import { build } from 'esbuild';

const outfile = process.argv[2] ?? 'dist/server/main.mjs';

await build({
  entryPoints: ['src/main.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  packages: 'external',
  // As tsconfig.json: automatic JSX runtime from Preact.
  jsx: 'automatic',
  jsxImportSource: 'preact',
  sourcemap: true,
  // Stack traces keep the names of functions and classes (and error classes their `name`).
  keepNames: true,
  logLevel: 'warning',
});
