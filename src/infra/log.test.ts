import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl, serialiseError } from './log.ts';

describe('log hygiene', () => {
  it('drops the tokens of tracking, follower and thanks links and every query value', () => {
    expect(redactUrl('/verfolgen/Abc123xyz_-/fotos/4')).toBe('/verfolgen/:token/fotos/4');
    expect(redactUrl('/folgen/Abc123/beenden')).toBe('/folgen/:token/beenden');
    expect(redactUrl('/behoben/Abc123?antwort=nein')).toBe('/behoben/:token?antwort=…');
    expect(redactUrl('/melden/danke/Abc123?x=1')).toBe('/melden/danke/:token?x=…');
    expect(redactUrl('/benachrichtigungen/bestaetigen/Abc123')).toBe('/benachrichtigungen/bestaetigen/:token');
    expect(redactUrl('/benachrichtigungen/abmelden/Abc123')).toBe('/benachrichtigungen/abmelden/:token');
    expect(redactUrl('/amtsblatt/newsletter/abmelden/Abc123')).toBe('/amtsblatt/newsletter/abmelden/:token');
    expect(redactUrl('/staff?q=Erika%20Mustermann&status=offen')).toBe('/staff?q=…&status=…');
    expect(redactUrl('/anmelden?weiter=%2Fverfolgen%2Fsecret')).toBe('/anmelden?weiter=…');
  });

  it('keeps class, code and frames of a failed query but not its parameters', () => {
    const cause = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), {
      code: '22021',
      detail: 'erika@example.org',
    });
    const err = Object.assign(new Error('Failed query: insert into cases values ($1, $2)\nparams: erika@example.org,Erika Mustermann'), {
      query: 'insert …',
      params: ['erika@example.org', 'Erika Mustermann'],
      cause,
    });
    const out = JSON.stringify(serialiseError(err));
    expect(out).not.toContain('erika@example.org');
    expect(out).not.toContain('Mustermann');
    expect(out).toContain('insert into cases values ($1, $2)');
    expect(out).toContain('22021');
    expect(out).toContain('log.test.ts');
  });

  it('masks quoted values at the end of PostgreSQL messages and e-mail addresses anywhere', () => {
    const out = JSON.stringify(serialiseError(new Error('invalid input syntax for type integer: "geheim"\nsend to a.b+c@stadt.example')));
    expect(out).not.toContain('geheim');
    expect(out).not.toContain('a.b+c@stadt.example');
  });

  it('never writes the password of a mail server, in a URL, an option or a secrets column', () => {
    const lines: string[] = [];
    const log = createLogger('info', false, { write: (l: string) => void lines.push(l) });
    const err = new Error('connect failed for imap://postfach:Sehr%20Geheim@mail.example:993/INBOX');
    log.error({ err, imap: 'imap://a:pw1@h', options: { smtp: 'smtp://b:pw2@h', secrets: 'v1.x' } }, 'channel test');
    const out = lines.join('');
    for (const secret of ['Sehr%20Geheim', 'pw1', 'pw2', 'v1.x']) expect(out).not.toContain(secret);
    expect(out).toContain('imap://[Zugangsdaten]@mail.example:993/INBOX');
  });

  it('applies the serialisers to every logger line', () => {
    const lines: string[] = [];
    const log = createLogger('info', false, { write: (l: string) => void lines.push(l) });
    log.child({ module: 'http' }).info({ req: { method: 'GET', url: '/verfolgen/geheim?token=x' }, body: 'Text' }, 'incoming');
    expect(lines.join('')).not.toMatch(/geheim|Text/);
  });
});
