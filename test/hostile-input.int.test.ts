import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  auditEvents,
  caseReporters,
  cases,
  messages,
  officeHours,
  outbox,
  replyTemplates,
  routingRules,
  sessions,
  slaPolicies,
  teamSettings,
  teams,
  users,
} from '../src/infra/schema/index.ts';
import { fileCase } from './helpers/cases.ts';
import { createTestContext, createUser, csrfFor, describeDb, type TestContext, type TestUser } from './helpers/context.ts';
import { seedBasics } from './helpers/fixtures.ts';

/**
 * Every text field of every form gets the same hostile values. Whatever happens, the answer is
 * never a 5xx; a value that must be refused gets a 4xx with a German message and leaves every
 * table as it was; an accepted HTML payload comes back escaped.
 */

/** `text` is sent as typed; `raw` is already percent-encoded bytes (broken UTF-8 cannot be a JS string). */
interface Hostile {
  name: string;
  text?: string;
  raw?: string;
  refused: 'always' | 'in single-line fields' | 'never';
}

const SCRIPT = '<script>alert(1)</script>';

const hostileValues: Hostile[] = [
  { name: 'NUL', text: 'Laterne\u0000kaputt', refused: 'always' },
  { name: 'C0 control (ESC)', text: 'Laterne\u001b[31m', refused: 'always' },
  { name: 'DEL', text: 'Laterne\u007f', refused: 'always' },
  { name: 'C1 control', text: 'Laterne\u009b', refused: 'always' },
  { name: 'U+FFFF', text: 'Laterne\uFFFF', refused: 'always' },
  { name: 'overlong (100,000 characters)', text: 'x'.repeat(100_000), refused: 'always' },
  { name: 'broken UTF-8', raw: 'Laterne%C3%28', refused: 'always' },
  { name: 'lone surrogate as UTF-8', raw: 'a%ED%A0%80b', refused: 'always' },
  { name: 'CRLF', text: 'Laterne\r\nBcc: opfer@example.org', refused: 'in single-line fields' },
  { name: 'RTL override', text: 'Laterne \u202Etxt.exe', refused: 'in single-line fields' },
  { name: 'HTML and script', text: SCRIPT, refused: 'never' },
];

type Fields = Record<string, string>;
type Encoding = 'urlencoded' | 'multipart' | 'query';

interface Field {
  name: string;
  /** Line breaks and bidi controls are allowed here (descriptions, notes, replies, passwords). */
  multiLine?: boolean;
  /** HTML is ordinary text here: the request must be accepted (so the test sees the escaped page, not a refusal). */
  acceptsHtml?: boolean;
  /** The value goes inside a JSON rules file (the import's text field), as a rule's name. */
  insideRulesFile?: boolean;
}

interface Endpoint {
  name: string;
  as: 'anonymous' | 'staff' | 'admin';
  encoding: Encoding;
  url: () => string;
  /** The page the form lives on (its CSRF token); none for GET forms. */
  page?: () => string;
  /** Valid values of the other fields, given the form page just loaded; async when they must be fresh (case version). */
  base: (page: string) => Promise<Fields> | Fields;
  fields: Field[];
}

let ctx: TestContext;
let staff: TestUser;
let admin: TestUser;
let town: Awaited<ReturnType<typeof seedBasics>>;
let kase: { number: string; id: number };

const currentVersion = async () => {
  const page = await ctx.app.inject({ url: `/staff/faelle/${kase.number}`, headers: { cookie: staff.cookie, accept: 'text/html' } });
  return /name="version" value="(\d+)"/.exec(page.body)?.[1] ?? '1';
};

/** The nonce of the same page load as the CSRF cookie: a nonce is bound to the browser it was issued to. */
const nonceOf = (page: string) => {
  const nonce = /name="nonce" value="([^"]+)"/.exec(page)?.[1];
  if (!nonce) throw new Error('no nonce on the report form');
  return nonce;
};

const report = { description: 'Die Laterne vor Nummer 12 ist dunkel.', type: 'defect', consent: 'yes', reporterEmail: 'erika@example.org' };
const reportFields: Field[] = [
  { name: 'description', multiLine: true, acceptsHtml: true },
  { name: 'locationText' },
  { name: 'reporterName' },
  { name: 'reporterEmail' },
];

const rulesFile = (name: string) =>
  JSON.stringify({
    format: 'amtsblatt-regeln',
    version: 1,
    rules: [{ name, conditions: [{ kind: 'type', in: ['defect'] }], actions: [{ kind: 'setPriority', value: 'high' }] }],
  });

const endpoints: Endpoint[] = [
  {
    name: 'report form (multipart)',
    as: 'anonymous',
    encoding: 'multipart',
    url: () => '/melden',
    page: () => '/melden',
    base: (page) => ({ ...report, nonce: nonceOf(page) }),
    fields: reportFields,
  },
  {
    name: 'report form (urlencoded)',
    as: 'anonymous',
    encoding: 'urlencoded',
    url: () => '/melden',
    page: () => '/melden',
    base: (page) => ({ ...report, nonce: nonceOf(page) }),
    fields: reportFields,
  },
  {
    name: 'following a report',
    as: 'anonymous',
    encoding: 'urlencoded',
    url: () => '/melden/folgen',
    page: () => '/melden',
    base: (page) => ({ ...report, nonce: nonceOf(page), follow: kase.number }),
    // The same person following twice is a 409 (already following), so HTML acceptance is proven on the report form.
    fields: reportFields.map((f) => ({ ...f, acceptsHtml: false })),
  },
  {
    name: 'sign-in',
    as: 'anonymous',
    encoding: 'urlencoded',
    url: () => '/anmelden',
    page: () => '/anmelden',
    base: () => ({ email: 'niemand@musterstadt.example', password: 'falsch' }),
    fields: [{ name: 'email' }, { name: 'password', multiLine: true }, { name: 'weiter' }],
  },
  {
    name: 'inbox search',
    as: 'staff',
    encoding: 'query',
    url: () => '/staff',
    base: () => ({ status: 'alle' }),
    fields: [{ name: 'q' }, { name: 'schlagwort' }],
  },
  {
    name: 'note',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => `/staff/faelle/${kase.number}/notiz`,
    page: () => `/staff/faelle/${kase.number}`,
    base: async () => ({ version: await currentVersion(), body: 'Notiz' }),
    fields: [{ name: 'body', multiLine: true, acceptsHtml: true }],
  },
  {
    name: 'reply',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => `/staff/faelle/${kase.number}/antwort`,
    page: () => `/staff/faelle/${kase.number}`,
    base: async () => ({ version: await currentVersion(), body: 'Antwort' }),
    fields: [{ name: 'body', multiLine: true, acceptsHtml: true }],
  },
  {
    name: 'case edit',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => `/staff/faelle/${kase.number}/bearbeiten`,
    page: () => `/staff/faelle/${kase.number}`,
    base: async () => ({
      version: await currentVersion(),
      type: 'defect',
      categoryId: String(town.categories.streetLight.id),
      teamId: String(town.teams.tiefbau.id),
      priority: 'normal',
      status: 'new',
    }),
    fields: [{ name: 'priority' }, { name: 'status' }],
  },
  {
    name: 'bulk tagging',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => '/staff/sammelaktion',
    page: () => '/staff',
    base: async () => ({ aktion: 'markieren', faelle: `${kase.id}:${await currentVersion()}`, tag: 'laterne' }),
    fields: [{ name: 'tag' }],
  },
  {
    name: 'template',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => '/staff/textbausteine',
    page: () => '/staff/textbausteine',
    base: () => ({ title: `Baustein ${randomBytes(3).toString('hex')}`, teamId: String(town.teams.tiefbau.id), body: 'Hallo {{name}}' }),
    fields: [{ name: 'title' }, { name: 'body', multiLine: true, acceptsHtml: true }],
  },
  {
    name: 'team signature',
    as: 'staff',
    encoding: 'urlencoded',
    url: () => `/staff/textbausteine/team/${town.teams.tiefbau.id}`,
    page: () => `/staff/textbausteine/team/${town.teams.tiefbau.id}`,
    base: () => ({ signature: 'Tiefbauamt' }),
    fields: [{ name: 'signature', multiLine: true }],
  },
  {
    name: 'rule form',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => '/admin/regeln/neu',
    page: () => '/admin/regeln/neu',
    base: () => ({
      name: 'Laternen',
      enabled: 'yes',
      onCreated: 'yes',
      match: 'all',
      'c-0-kind': 'words',
      'c-0-text': 'laterne',
      'c-0-match': 'any',
      'a-0-kind': 'setPriority',
      'a-0-value': 'high',
      op: 'save',
    }),
    fields: [{ name: 'name' }, { name: 'c-0-text', multiLine: true }],
  },
  {
    name: 'rule import (pasted JSON)',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => '/admin/regeln/import',
    page: () => '/admin/regeln',
    base: () => ({ json: rulesFile('Import') }),
    fields: [{ name: 'json', insideRulesFile: true }],
  },
  {
    name: 'rule import (file)',
    as: 'admin',
    encoding: 'multipart',
    url: () => '/admin/regeln/import',
    page: () => '/admin/regeln',
    base: () => ({}),
    fields: [{ name: 'file', insideRulesFile: true }],
  },
  {
    name: 'team',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => '/admin/teams',
    page: () => '/admin/teams',
    base: () => ({ name: `Team ${randomBytes(3).toString('hex')}`, email: '' }),
    fields: [{ name: 'name' }, { name: 'email' }],
  },
  {
    name: 'user',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => '/admin/benutzer',
    page: () => '/admin/benutzer/neu',
    base: () => ({ email: `neu-${randomBytes(3).toString('hex')}@musterstadt.example`, displayName: 'Neue Person', role: 'staff' }),
    fields: [{ name: 'email' }, { name: 'displayName' }, { name: 'password', multiLine: true }],
  },
  {
    name: 'deadline policy',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => '/admin/fristen',
    page: () => '/admin/fristen',
    base: () => ({
      name: 'Frist',
      teamId: '',
      caseType: '',
      priority: '',
      responseMinutes: '8',
      resolutionMinutes: '40',
      warnPercent: '80',
    }),
    fields: [{ name: 'name' }, { name: 'responseMinutes' }],
  },
  {
    name: 'office hours',
    as: 'admin',
    encoding: 'urlencoded',
    url: () => `/admin/fristen/zeiten/${town.teams.tiefbau.id}`,
    page: () => `/admin/fristen/zeiten/${town.teams.tiefbau.id}`,
    base: () => ({ day0: '8-16', day1: '8-16', day2: '8-16', day3: '8-16', day4: '8-12', day5: '', day6: '', closedDays: '' }),
    fields: [{ name: 'day0' }, { name: 'closedDays', multiLine: true }],
  },
];

/** Percent-encoded bytes → Buffer; every other character as UTF-8. */
const bytesOf = (raw: string) =>
  Buffer.from(
    raw.replace(/%([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    'latin1',
  );

/** The field's value: typed text as it is, raw bytes kept percent-encoded for the body encoder. */
function valueFor(field: Field, v: Hostile): { text: string } | { raw: string } {
  if (!field.insideRulesFile) return v.text !== undefined ? { text: v.text } : { raw: v.raw ?? '' };
  if (v.text !== undefined) return { text: rulesFile(v.text) };
  const [before, after] = rulesFile('\u0001').split('\\u0001');
  return { raw: `${encodeURIComponent(before ?? '')}${v.raw}${encodeURIComponent(after ?? '')}` };
}

function urlencoded(fields: Fields, name: string, value: { text: string } | { raw: string }): string {
  const rest = Object.entries(fields)
    .filter(([k]) => k !== name)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  const own = 'text' in value ? encodeURIComponent(value.text) : value.raw;
  return [...rest, `${encodeURIComponent(name)}=${own}`].join('&');
}

/** A multipart body written by hand, so a part can carry bytes that are not UTF-8. */
function multipartBody(fields: Fields, name: string, value: { text: string } | { raw: string }, asFile: boolean) {
  const boundary = `----grenze${randomBytes(8).toString('hex')}`;
  const own = 'text' in value ? Buffer.from(value.text, 'utf8') : bytesOf(value.raw);
  const parts: Buffer[] = [];
  const part = (k: string, data: Buffer, file: boolean) =>
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${k}"${file ? '; filename="regeln.json"\r\nContent-Type: application/json' : ''}\r\n\r\n`,
      ),
      data,
      Buffer.from('\r\n'),
    );
  for (const [k, v] of Object.entries(fields)) if (k !== name) part(k, Buffer.from(v, 'utf8'), false);
  part(name, own, asFile);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

const tables = {
  cases,
  messages,
  auditEvents,
  caseReporters,
  outbox,
  users,
  sessions,
  teams,
  routingRules,
  slaPolicies,
  officeHours,
  replyTemplates,
  teamSettings,
};

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) out[name] = await ctx.db.$count(table);
  return out;
}

const GERMAN = /Bitte|enthält|darf|muss|ungültig|höchstens|zu lang|zu groß|unvollständig|nicht/;

const cookieOf = (endpoint: Endpoint) => (endpoint.as === 'staff' ? staff.cookie : endpoint.as === 'admin' ? admin.cookie : '');

async function send(endpoint: Endpoint, field: Field, v: Hostile) {
  const cookie = cookieOf(endpoint);
  const csrf = endpoint.page ? await csrfFor(ctx.app, endpoint.page(), cookie) : { token: '', cookie, body: '' };
  const fields: Fields = { ...(await endpoint.base(csrf.body)), ...(endpoint.page ? { _csrf: csrf.token } : {}) };
  const value = valueFor(field, v);
  const headers = { cookie: csrf.cookie, accept: 'text/html' };
  // Each request from its own address, so the per-address limits of reports and sign-ins stay out of the way.
  const remoteAddress = `10.${randomBytes(3).join('.')}`;
  if (endpoint.encoding === 'query') {
    return ctx.app.inject({ method: 'GET', url: `${endpoint.url()}?${urlencoded(fields, field.name, value)}`, headers, remoteAddress });
  }
  if (endpoint.encoding === 'multipart') {
    const body = multipartBody(fields, field.name, value, field.name === 'file');
    return ctx.app.inject({
      method: 'POST',
      url: endpoint.url(),
      payload: body.payload,
      headers: { ...headers, 'content-type': body.contentType },
      remoteAddress,
    });
  }
  return ctx.app.inject({
    method: 'POST',
    remoteAddress,
    url: endpoint.url(),
    payload: urlencoded(fields, field.name, value),
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  });
}

describeDb('hostile input in every text field', () => {
  beforeAll(async () => {
    ctx = await createTestContext();
    town = await seedBasics(ctx.db);
    staff = await createUser(ctx, { teamIds: [town.teams.tiefbau.id], name: 'Tim Tiefbau' });
    admin = await createUser(ctx, { role: 'admin', name: 'Ada Admin' });
    const filed = await fileCase(ctx, {
      categoryId: town.categories.streetLight.id,
      reporterEmail: 'erika@example.org',
      reporterName: 'Erika Mustermann',
    });
    kase = { number: filed.number, id: filed.caseId };
  });
  afterAll(() => ctx.close());

  for (const endpoint of endpoints) {
    it(`${endpoint.name}: no 5xx, refusals in German with nothing stored, HTML escaped`, async () => {
      const problems: string[] = [];
      for (const field of endpoint.fields) {
        for (const v of hostileValues) {
          // A query string whose percent-encoding is broken is kept as typed ("%C3%28" stays literal
          // text), so nothing undecodable reaches a search; refusing it is not needed.
          const literal = endpoint.encoding === 'query' && v.raw !== undefined;
          const mustRefuse = !literal && (v.refused === 'always' || (v.refused === 'in single-line fields' && !field.multiLine));
          const before = await rowCounts();
          const res = await send(endpoint, field, v);
          const where = `${field.name} ← ${v.name}: ${res.statusCode}`;
          if (res.statusCode >= 500) problems.push(`${where} (server error)`);
          else if (mustRefuse) {
            if (res.statusCode < 400) problems.push(`${where} (accepted)`);
            else if (!GERMAN.test(res.body) || /FST_|Bad Request/.test(res.body))
              problems.push(`${where} (not German: ${res.body.slice(0, 120)})`);
            const after = await rowCounts();
            if (JSON.stringify(after) !== JSON.stringify(before))
              problems.push(`${where} (stored: ${JSON.stringify(before)} → ${JSON.stringify(after)})`);
          }
          if (v.text === SCRIPT && field.acceptsHtml && res.statusCode >= 400) problems.push(`${where} (HTML text refused)`);
          if (v.text === SCRIPT) {
            const location = res.headers.location;
            const shown =
              typeof location === 'string' && location.startsWith('/')
                ? (await ctx.app.inject({ url: location, headers: { cookie: cookieOf(endpoint), accept: 'text/html' } })).body
                : res.body;
            if (res.body.includes(SCRIPT) || shown.includes(SCRIPT)) problems.push(`${where} (HTML not escaped)`);
          }
        }
      }
      expect(problems).toEqual([]);
    });
  }
});
