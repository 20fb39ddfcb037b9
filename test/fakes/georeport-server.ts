import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A GeoReport v2 server as the spec describes GET requests.json (wiki.open311.org/GeoReport_v2):
 * `start_date`/`end_date` on requested_datetime, `service_request_id` as a comma list (which
 * ignores the other filters), `service_code`, `status`, at most `cap` per answer (the spec: 1,000,
 * newest first), and errors as a JSON array of {code, description}. It serves whatever records the
 * test gives it, by default the real Köln "Sag's uns" answer from the shared data.
 */
export const KOELN_SAMPLE = join(import.meta.dirname, '../../../shared/data/koeln_sagsuns_open311_sample_2016.json');
export const koelnAvailable = existsSync(KOELN_SAMPLE);

export type GeoRecord = Record<string, unknown> & { service_request_id: string; requested_datetime: string; status: string };

export function koelnRecords(): GeoRecord[] {
  return JSON.parse(readFileSync(KOELN_SAMPLE, 'utf8')) as GeoRecord[];
}

export interface FakeGeoReport {
  url: string;
  records: GeoRecord[];
  /** Requests received, as path + query. */
  calls: string[];
  /** When set, every answer is this status with the spec's error body. */
  failWith: { status: number; description: string } | null;
  close(): Promise<void>;
}

export async function startGeoReportServer(opts: { records?: GeoRecord[]; cap?: number } = {}): Promise<FakeGeoReport> {
  const cap = opts.cap ?? 1000;
  const state: Omit<FakeGeoReport, 'url' | 'close'> = { records: opts.records ?? koelnRecords(), calls: [], failWith: null };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    state.calls.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    };
    if (state.failWith) return send(state.failWith.status, [{ code: state.failWith.status, description: state.failWith.description }]);
    if (!url.pathname.endsWith('/requests.json')) return send(404, [{ code: 404, description: 'not found' }]);
    const ids = url.searchParams.get('service_request_id');
    const start = url.searchParams.get('start_date');
    const end = url.searchParams.get('end_date');
    const code = url.searchParams.get('service_code');
    const status = url.searchParams.get('status');
    let rows = state.records;
    if (ids) {
      const wanted = new Set(ids.split(','));
      rows = rows.filter((r) => wanted.has(r.service_request_id));
    } else {
      if (start && Number.isNaN(Date.parse(start))) return send(400, [{ code: 400, description: 'start_date is not a valid date' }]);
      const t = (r: GeoRecord) => Date.parse(r.requested_datetime);
      if (start) rows = rows.filter((r) => t(r) >= Date.parse(start));
      if (end) rows = rows.filter((r) => t(r) < Date.parse(end));
      if (code) rows = rows.filter((r) => r.service_code === code);
      if (status) rows = rows.filter((r) => r.status === status);
    }
    rows = [...rows].sort((a, b) => Date.parse(b.requested_datetime) - Date.parse(a.requested_datetime)).slice(0, cap);
    return send(200, rows);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/georeport/v2`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
