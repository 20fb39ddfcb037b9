import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OParl 1.1 endpoint on loopback: one System, one Body, its paper and meeting lists paged
 * (`links.next`, `pagination`) and filtered by `modified_since`, in the spec's object shapes.
 * `breakPage`/`slowPage` make one list page return broken JSON or answer late.
 */
export interface FakeOparl {
  url: string;
  systemUrl: string;
  papers: Record<string, unknown>[];
  meetings: Record<string, unknown>[];
  breakPage: { list: 'paper' | 'meeting'; page: number } | null;
  slowPage: { list: 'paper' | 'meeting'; page: number; ms: number } | null;
  requests: string[];
  close(): Promise<void>;
}

const TYPE = 'https://schema.oparl.org/1.1/';
const PER_PAGE = 2;

export async function startFakeOparl(): Promise<FakeOparl> {
  let base = '';
  const fake: FakeOparl = {
    url: '',
    systemUrl: '',
    papers: [],
    meetings: [],
    breakPage: null,
    slowPage: null,
    requests: [],
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    fake.requests.push(`${url.pathname}${url.search}`);
    const send = (body: unknown, status = 200) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (url.pathname === '/oparl/v1') {
      return send({
        id: `${base}/oparl/v1`,
        type: `${TYPE}System`,
        oparlVersion: 'https://schema.oparl.org/1.1/',
        name: 'Ratsinformationssystem Musterstadt',
        body: `${base}/oparl/v1/bodies`,
        created: '2020-01-01T00:00:00+01:00',
        modified: '2026-11-01T00:00:00+01:00',
      });
    }
    if (url.pathname === '/oparl/v1/bodies') {
      return send({
        data: [
          {
            id: `${base}/oparl/v1/body/1`,
            type: `${TYPE}Body`,
            system: `${base}/oparl/v1`,
            name: 'Stadt Musterstadt',
            organization: `${base}/oparl/v1/body/1/organizations`,
            person: `${base}/oparl/v1/body/1/people`,
            meeting: `${base}/oparl/v1/body/1/meetings`,
            paper: `${base}/oparl/v1/body/1/papers`,
            legislativeTerm: [],
            created: '2020-01-01T00:00:00+01:00',
            modified: '2026-11-01T00:00:00+01:00',
          },
        ],
        pagination: { totalElements: 1, elementsPerPage: 20, currentPage: 1, totalPages: 1 },
        links: {},
      });
    }
    const list = url.pathname === '/oparl/v1/body/1/papers' ? 'paper' : url.pathname === '/oparl/v1/body/1/meetings' ? 'meeting' : null;
    if (!list) return send({ error: 'nicht gefunden' }, 404);
    const page = Number(url.searchParams.get('page') ?? '1');
    const since = url.searchParams.get('modified_since');
    const all = (list === 'paper' ? fake.papers : fake.meetings).filter((o) => !since || new Date(String(o.modified)) >= new Date(since));
    const totalPages = Math.max(1, Math.ceil(all.length / PER_PAGE));
    const next = new URL(url);
    next.searchParams.set('page', String(page + 1));
    const body = {
      data: all.slice((page - 1) * PER_PAGE, page * PER_PAGE),
      pagination: { totalElements: all.length, elementsPerPage: PER_PAGE, currentPage: page, totalPages },
      links: { first: `${base}${url.pathname}`, ...(page < totalPages ? { next: next.toString() } : {}) },
    };
    if (fake.breakPage?.list === list && fake.breakPage.page === page) return send('{"data": [ {"id": kaputt', 200);
    if (fake.slowPage?.list === list && fake.slowPage.page === page) {
      const timer = setTimeout(() => send(body), fake.slowPage.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    return send(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.url = base;
  fake.systemUrl = `${base}/oparl/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

/** A Paper in the spec's shape. */
export function oparlPaper(base: string, n: number, modified: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `${base}/oparl/v1/paper/${n}`,
    type: `${TYPE}Paper`,
    body: `${base}/oparl/v1/body/1`,
    name: `Vorlage ${n}`,
    reference: `2026/${String(n).padStart(3, '0')}`,
    date: '2026-11-20',
    paperType: 'Beschlussvorlage',
    mainFile: { id: `${base}/oparl/v1/file/${n}`, type: `${TYPE}File`, accessUrl: `${base}/files/${n}.pdf` },
    web: `${base}/vorlage/${n}`,
    created: '2026-11-01T10:00:00+01:00',
    modified,
    ...over,
  };
}

/** A Meeting in the spec's shape, with an embedded Location. */
export function oparlMeeting(base: string, n: number, modified: string): Record<string, unknown> {
  return {
    id: `${base}/oparl/v1/meeting/${n}`,
    type: `${TYPE}Meeting`,
    name: `Sitzung des Gemeinderats ${n}`,
    start: '2026-12-10T18:00:00+01:00',
    end: '2026-12-10T21:00:00+01:00',
    location: { id: `${base}/oparl/v1/location/1`, type: `${TYPE}Location`, description: 'Ratssaal', streetAddress: 'Marktplatz 1' },
    cancelled: false,
    web: `${base}/sitzung/${n}`,
    created: '2026-11-01T10:00:00+01:00',
    modified,
  };
}
