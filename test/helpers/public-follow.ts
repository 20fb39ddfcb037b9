import { publicFollowJobs } from '../../src/features/public-follow/jobs.ts';
import { csrfFor, type TestContext } from './context.ts';
import { outboxMails } from './outbox.ts';

const form = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** Posts a follow form from the page it sits on, as a browser does (its CSRF token and cookie). */
export async function postFollowForm(ctx: TestContext, pageUrl: string, action: string, fields: Record<string, string>) {
  const csrf = await csrfFor(ctx.app, pageUrl);
  return ctx.app.inject({
    method: 'POST',
    url: action,
    headers: { ...form, cookie: csrf.cookie },
    payload: new URLSearchParams({ ...fields, _csrf: csrf.token }).toString(),
  });
}

/** The path of the first link in a mail text that starts with `prefix` (e.g. /benachrichtigungen/bestaetigen/). */
export function linkIn(text: string, prefix: string): string {
  const match = new RegExp(`https?://[^/\\s]+(${prefix.replace(/\//g, '\\/')}[A-Za-z0-9_-]+)`).exec(text);
  if (!match?.[1]) throw new Error(`no ${prefix} link in the mail`);
  return match[1];
}

/** Opens the confirmation link and presses its button. */
export async function confirmByMail(ctx: TestContext, to: string) {
  const mail = (await outboxMails(ctx.db, { to })).find((m) => m.subject.startsWith('Bitte bestätigen'));
  if (!mail) throw new Error(`no confirmation mail to ${to}`);
  const path = linkIn(mail.text, '/benachrichtigungen/bestaetigen/');
  const csrf = await csrfFor(ctx.app, path);
  return ctx.app.inject({
    method: 'POST',
    url: path,
    headers: { ...form, cookie: csrf.cookie },
    payload: new URLSearchParams({ _csrf: csrf.token }).toString(),
  });
}

/** One run of the notice job, as the worker runs it. */
export async function runFollowJob(ctx: TestContext): Promise<void> {
  const [notify] = publicFollowJobs({ db: ctx.db, clock: ctx.clock, config: ctx.config, log: ctx.log });
  await notify.handler({});
}
