import { XMLParser } from 'fast-xml-parser';
import { createApiKey } from '../../src/features/open311/api-keys.ts';
import type { TestContext } from './context.ts';

/** A fresh Open311 key (the plain key, shown once) for tests. */
export async function newApiKey(ctx: TestContext, opts: { name?: string; rate?: number } = {}) {
  const { row, key } = await createApiKey({ db: ctx.db, log: ctx.log }, null, {
    name: opts.name ?? 'Test-App',
    requestsPerMinute: opts.rate ?? 1000,
  });
  return { id: row.id, key };
}

/** POST requests.{format} as the spec sends it: a urlencoded form. */
export function postOpen311(
  ctx: TestContext,
  fields: Record<string, string>,
  opts: { format?: 'json' | 'xml'; headers?: Record<string, string> } = {},
) {
  return ctx.app.inject({
    method: 'POST',
    url: `/georeport/v2/requests.${opts.format ?? 'json'}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...opts.headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** GET below /georeport/v2 (path with its extension, e.g. "requests.json?status=open"). */
export const getOpen311 = (ctx: TestContext, path: string) => ctx.app.inject({ method: 'GET', url: `/georeport/v2/${path}` });

/** XML as plain objects; every element a string (so "006" stays "006"), repeated elements as arrays. */
export const parseXml = (xml: string) =>
  new XMLParser({
    parseTagValue: false,
    isArray: (name) => ['service', 'request', 'error', 'request_update', 'attribute', 'value', 'endpoint', 'format'].includes(name),
  }).parse(xml);
