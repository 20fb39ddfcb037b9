import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../test/helpers/context.ts';

/** The security headers every answer carries (helmet's set with our CSP), as they were when each request built them. */
const HEADER_NAMES = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-powered-by',
  'x-xss-protection',
];

const CSP =
  "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data: blob: https://tile.openstreetmap.org;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline'";
const EXPECTED = {
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
/** Behind https, browsers are told to stay on https. */
const EXPECTED_HTTPS = {
  ...EXPECTED,
  'content-security-policy': `${CSP};upgrade-insecure-requests`,
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

const securityHeaders = (headers: Record<string, unknown>) =>
  Object.fromEntries(HEADER_NAMES.filter((n) => n in headers).map((n) => [n, headers[n]]));

for (const [publicUrl, expected] of [
  ['http://localhost:3000', EXPECTED],
  ['https://amtsblatt.example.de', EXPECTED_HTTPS],
] as const) {
  describeDb(`security headers (${publicUrl.split(':')[0]})`, () => {
    let ctx: TestContext;
    beforeAll(async () => {
      ctx = await createTestContext({ env: { PUBLIC_URL: publicUrl } });
    });
    afterAll(() => ctx.close());

    it('are the same on a page, an asset, a 404, a refused post and a redirect', async () => {
      const answers = await Promise.all([
        ctx.app.inject({ url: '/' }),
        ctx.app.inject({ url: '/melden' }),
        ctx.app.inject({ url: '/assets/kern/kern-grid.css' }),
        ctx.app.inject({ url: '/gibt-es-nicht', headers: { accept: 'text/html' } }),
        ctx.app.inject({
          method: 'POST',
          url: '/melden',
          payload: 'description=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
        ctx.app.inject({ url: '/admin' }),
      ]);
      const [first, ...rest] = answers.map((r) => securityHeaders(r.headers));
      for (const other of rest) expect(other).toEqual(first);
      expect(first).toEqual(expected);
    });
  });
}
