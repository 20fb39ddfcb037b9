import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/infra/project-root.ts';
import { freePort } from './server.ts';

/** Bundles the server with the production build script (scripts/build-server.mjs) into `outfile`. */
export async function buildServerBundle(outfile: string): Promise<void> {
  await promisify(execFile)(process.execPath, [join(projectRoot, 'scripts', 'build-server.mjs'), outfile], { cwd: projectRoot });
}

export interface BuiltServer {
  baseUrl: string;
  process: ChildProcess;
  /** From spawn to the first /health answering 200. */
  startupMs: number;
  /** Everything the server wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node <bundle> serve` as its own process on a free loopback port, as `npm start` does,
 * and waits until /health answers 200.
 */
export async function startBuiltServer(bundle: string, env: Record<string, string>, timeoutMs = 60_000): Promise<BuiltServer> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, ['--enable-source-maps', bundle, 'serve'], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: String(port), PUBLIC_URL: baseUrl, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`server did not answer /health within ${timeoutMs} ms:\n${out}`);
    }
    const ok = await fetch(`${baseUrl}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { baseUrl, process: child, startupMs: performance.now() - started, output: () => out, stop };
}
