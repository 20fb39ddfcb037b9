import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/infra/project-root.ts';
import { type BuiltServer, buildServerBundle, startBuiltServer } from './helpers/built-server.ts';

// The production start runs the esbuild bundle, not the TypeScript sources the other tests use:
// this builds it as `npm start` does and checks that it finds its migrations and assets from dist/.
describe('server bundle (scripts/build-server.mjs)', () => {
  // Inside the project, so the bundle resolves node_modules; one folder deeper than dist/server, so
  // paths counted in '..' from the module instead of found from package.json would fail here.
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  const outDir = mkdtempSync(join(projectRoot, 'dist', 'bundle-test-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'amtsblatt-bundle-'));
  let server: BuiltServer;

  beforeAll(async () => {
    const bundle = join(outDir, 'server', 'main.mjs');
    await buildServerBundle(bundle);
    server = await startBuiltServer(bundle, { DEMO_DATA: 'false', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(outDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['/', 'text/html'],
    ['/melden', 'text/html'],
    ['/assets/app.css', 'text/css'],
    ['/assets/kern/kern.min.css', 'text/css'],
    ['/assets/js/map-picker.js', 'javascript'],
  ])('GET %s answers 200 (%s)', async (path, type) => {
    const res = await fetch(`${server.baseUrl}${path}`, { headers: { accept: 'text/html' } });
    expect(res.status, server.output()).toBe(200);
    expect(res.headers.get('content-type')).toContain(type);
  });
});
