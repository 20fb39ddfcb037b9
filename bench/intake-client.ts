/**
 * The load generator for the intake benchmark, run as a child process of bench/run.ts, so the
 * clients never share an event loop with the server they measure (with both in one process every
 * client's body building and response parsing delayed the server, and the other way round).
 *
 * It gets the job over IPC ({@link ClientJob}), keeps `concurrency` keep-alive connections busy with
 * report-form posts (multipart, no photo, like a browser sends them) and answers with every
 * request's latency ({@link ClientResult}). Plain node:http with a pre-encoded body keeps the client's
 * own CPU use small: on a 2-vCPU machine the client, the server and PostgreSQL compete for it.
 *
 * Runs on Node ≥ 24 without a loader (type stripping): erasable TypeScript only.
 */
import { Agent, request } from 'node:http';

export interface ClientJob {
  url: string;
  csrfToken: string;
  cookie: string;
  requests: number;
  concurrency: number;
  /** One form nonce (the form's idempotency key) per request, bound to this client's cookie. */
  nonces: string[];
  descriptions: string[];
}

export interface ClientResult {
  latencies: number[];
  wallMs: number;
  failures: number;
  firstFailure: string | null;
}

const BOUNDARY = '----amtsblatt-bench-7d1f3c';

function multipartBody(fields: Record<string, string>): Buffer {
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return Buffer.from(`${parts.join('')}--${BOUNDARY}--\r\n`, 'utf8');
}

function post(agent: Agent, url: URL, cookie: string, body: Buffer): Promise<{ status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          cookie,
          accept: 'text/html',
          'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
          'content-length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

export async function runClient(job: ClientJob): Promise<ClientResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL('/melden', job.url);
  const latencies: number[] = [];
  let failures = 0;
  let firstFailure: string | null = null;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= job.requests) return;
        const body = multipartBody({
          _csrf: job.csrfToken,
          nonce: job.nonces[i] ?? '',
          description: job.descriptions[i % job.descriptions.length] ?? 'Meldung',
          type: 'defect',
          locationText: `Marktstätte ${i % 40}`,
          consent: 'yes',
        });
        const t0 = performance.now();
        const res = await post(agent, url, job.cookie, body).catch((err: Error) => ({ status: 0, location: err.message }));
        latencies.push(performance.now() - t0);
        if (res.status !== 303 || !res.location.startsWith('/melden/danke/')) {
          failures++;
          firstFailure ??= `status ${res.status} ${res.location}`;
        }
      }
    }),
  );
  const wallMs = performance.now() - started;
  agent.destroy();
  return { latencies, wallMs, failures, firstFailure };
}

// As a child process: one job in, one result out, then exit.
if (process.send) {
  process.once('message', (job: ClientJob) => {
    runClient(job).then(
      (result) => process.send?.(result, () => process.exit(0)),
      (err: unknown) => {
        process.stderr.write(`intake client failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
