import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of a real start: nothing of the test run's database settings leaks in. */
function processEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, TEST_DB: _db, ...rest } = process.env;
  return { ...rest, DEMO_DATA: 'false', LOG_LEVEL: 'warn', ...env };
}

function start(args: string[], env: Record<string, string>): ChildProcess {
  // The Node 24 running the tests, with tsx as the start scripts use it.
  return spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main.ts'), ...args], {
    cwd: root,
    env: processEnv(env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

function collect(child: ChildProcess): { output: () => { stdout: string; stderr: string }; done: Promise<Finished> } {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    stdout += d;
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { output: () => ({ stdout, stderr }), done };
}

/**
 * The real command line in a child process, as an operator would run it; `stdin` is piped in. A
 * process still running after `timeoutMs` is killed (its code is then null).
 */
export async function amtsblatt(args: string[], env: Record<string, string>, stdin = '', timeoutMs = 120_000): Promise<Finished> {
  const child = start(args, env);
  child.stdin?.end(stdin);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    return await collect(child).done;
  } finally {
    clearTimeout(timer);
  }
}

export interface ServerProcess {
  pid: number;
  baseUrl: string;
  output(): { stdout: string; stderr: string };
  /** Resolves when the process has ended (also when it refused to start). */
  exited: Promise<Finished>;
  stop(signal?: NodeJS.Signals): Promise<Finished>;
}

/** `amtsblatt serve` in its own process; resolves once /health answers, rejects if it ends before. */
export async function startServerProcess(env: Record<string, string> & { PORT: string }, timeoutMs = 180_000): Promise<ServerProcess> {
  const child = start(['serve'], env);
  child.stdin?.end();
  const { output, done } = collect(child);
  const baseUrl = `http://127.0.0.1:${env.PORT}`;
  const server: ServerProcess = {
    pid: child.pid ?? 0,
    baseUrl,
    output,
    exited: done,
    stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
  let ended: Finished | null = null;
  void done.then((f) => {
    ended = f;
  });
  const started = Date.now();
  for (;;) {
    if (ended) throw new Error(`server ended before it answered: ${JSON.stringify(ended)}`);
    const up = await fetch(`${baseUrl}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return server;
    if (Date.now() - started > timeoutMs) {
      await server.stop('SIGKILL');
      throw new Error(`server did not answer within ${timeoutMs} ms: ${JSON.stringify(output())}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
