import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';

const LIMIT = 5;
const box = 'bbox=9.16,47.65,9.21,47.71';

describeDb('/meldungen/karte.geojson: per-address rate limit', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ env: { MAP_REQUESTS_PER_IP_PER_MINUTE: String(LIMIT) } });
  });
  afterAll(() => ctx?.close());

  const map = (ip: string) => ctx.app.inject({ url: `/meldungen/karte.geojson?${box}`, remoteAddress: ip });

  it(`answers the ${LIMIT + 1}th request of a minute with 429, Retry-After and a German JSON error`, async () => {
    for (let i = 0; i < LIMIT; i++) expect((await map('198.51.100.7')).statusCode).toBe(200);
    const limited = await map('198.51.100.7');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/json');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({
      error:
        'Die Karte wurde in kurzer Zeit sehr oft neu geladen. Bitte warten Sie einen Moment; die Liste unter der Karte zeigt alle Meldungen.',
    });
    // Counted per address: another client is still served, and the list page is not limited.
    expect((await map('198.51.100.8')).statusCode).toBe(200);
    const list = await ctx.app.inject({ url: '/meldungen', remoteAddress: '198.51.100.7', headers: { accept: 'text/html' } });
    expect(list.statusCode).toBe(200);
  });
});
