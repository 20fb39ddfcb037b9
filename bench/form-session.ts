import { randomBytes } from 'node:crypto';
import { bindNonce } from '../src/http/form-nonce.ts';

/**
 * What a browser holds after loading the report form once: the CSRF token, its cookies and the
 * client secret inside the CSRF cookie. A form nonce is only accepted from the browser it was
 * issued to, so a benchmark mints its nonces for this secret, as the form page would.
 */
export async function formSession(baseUrl: string): Promise<{ token: string; cookie: string; clientSecret: string }> {
  const page = await fetch(`${baseUrl}/melden`, { headers: { accept: 'text/html' } });
  const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!token) throw new Error(`no CSRF token on /melden (status ${page.status})`);
  const cookie = page.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  // The signed cookie's value before its signature.
  const signed = decodeURIComponent(/_csrf_secret=([^;]+)/.exec(cookie)?.[1] ?? '');
  return { token, cookie, clientSecret: signed.slice(0, signed.lastIndexOf('.')) };
}

/** `count` fresh nonces bound to one browser's CSRF secret; all start with `prefix` (to count what was stored). */
export function boundNonces(sessionSecret: string, clientSecret: string, count: number): { nonces: string[]; prefix: string } {
  const prefix = `bench-${randomBytes(3).toString('hex')}-`;
  const nonces = Array.from({ length: count }, (_, i) => bindNonce(sessionSecret, clientSecret, `${prefix}${String(i).padStart(16, '0')}`));
  return { nonces, prefix };
}

/** Report texts the benches post, varied like real reports. */
export const DESCRIPTIONS = [
  'Die Straßenlaterne vor dem Haus ist seit Tagen dunkel.',
  'Großes Schlagloch auf dem Radweg, gefährlich bei Nacht.',
  'Am Spielplatz liegt Sperrmüll neben dem Container.',
  'Der Mülleimer an der Bushaltestelle quillt über.',
  'Idee: Eine Bank im Schatten am Seeufer wäre schön.',
  'Graffiti an der Unterführung, bitte entfernen.',
  'Ampel an der Kreuzung schaltet nicht mehr auf Grün für Fußgänger.',
  'Lob an die Stadtreinigung, alles blitzsauber nach dem Fest!',
];
