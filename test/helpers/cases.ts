import { randomBytes } from 'node:crypto';
import type { Inbound } from '../../src/features/intake/inbound.ts';
import { type IntakeDeps, receive } from '../../src/features/intake/service.ts';
import { csrfFor, type TestContext } from './context.ts';

/** Intake dependencies of a test context, to file cases through the real pipeline. */
export function intakeDeps(ctx: TestContext): IntakeDeps {
  return { db: ctx.db, queue: ctx.queue, storage: ctx.storage, clock: ctx.clock, log: ctx.log, channels: ctx.channels, config: ctx.config };
}

/** Files a case through receive() with sensible defaults; returns number, id and tracking token. */
export async function fileCase(ctx: TestContext, over: Partial<Inbound> = {}) {
  return receive(intakeDeps(ctx), {
    channel: 'web',
    externalId: `test-${randomBytes(6).toString('hex')}`,
    type: 'defect',
    categoryId: null,
    description: 'Die Bank im Park ist kaputt.',
    locationText: null,
    lat: null,
    lon: null,
    reporterName: null,
    reporterEmail: null,
    consentAt: new Date(),
    ...over,
  });
}

/** Posts a urlencoded form the way a browser does, with the CSRF token of the page it came from. */
export async function postForm(ctx: TestContext, pageUrl: string, action: string, cookie: string, fields: Record<string, string>) {
  const csrf = await csrfFor(ctx.app, pageUrl, cookie);
  return ctx.app.inject({
    method: 'POST',
    url: action,
    headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
  });
}

/** The `version` hidden field of the first form on a case page. */
export function versionOn(html: string): string {
  const v = /name="version" value="(\d+)"/.exec(html)?.[1];
  if (!v) throw new Error('no version field on the page');
  return v;
}
