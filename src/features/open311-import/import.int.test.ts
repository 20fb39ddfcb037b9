import { and, asc, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGeoReport, koelnAvailable, koelnRecords, startGeoReportServer } from '../../../test/fakes/georeport-server.ts';
import { runData } from '../../../test/helpers/commands.ts';
import { createTestContext, describeDb, type TestContext } from '../../../test/helpers/context.ts';
import { cases, messages, open311Sources } from '../../infra/schema/index.ts';
import { importDepsOf, open311Import } from './commands.ts';
import { importFromSource } from './service.ts';

if (!koelnAvailable)
  process.stderr.write('\n!!! Köln Open311 sample not found in ../shared/data: the Open311 import tests are SKIPPED.\n\n');

const SINCE = new Date('2016-01-01T00:00:00Z');

describeDb('Open311 import from another GeoReport v2 endpoint', () => {
  let ctx: TestContext;
  let server: FakeGeoReport;
  const deps = () => importDepsOf({ ...ctx, database: ctx.database });

  beforeAll(async () => {
    ctx = await createTestContext();
    if (koelnAvailable) server = await startGeoReportServer();
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
  });

  const imported = (sourceId: number) =>
    ctx.db
      .select()
      .from(cases)
      .where(and(eq(cases.channel, 'open311'), like(cases.externalId, `open311:${sourceId}:%`)))
      .orderBy(asc(cases.id));

  describe.skipIf(!koelnAvailable)('with the real Köln answer', () => {
    it('takes in every request of the Köln sample as a case through the intake, without personal data', async () => {
      const result = await runData(ctx, open311Import, { url: server.url, name: 'Stadt Köln', since: '2016-01-01' });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toContain('Stadt Köln: 50 Meldungen abgerufen, 50 neu übernommen, 0 schon vorhanden.');
      const [source] = await ctx.db.select().from(open311Sources);
      expect(source?.name).toBe('Stadt Köln');
      expect(source?.lastError).toBeNull();
      const rows = await imported(source?.id ?? 0);
      expect(rows).toHaveLength(50);
      const ampel = rows.find((r) => r.externalId?.endsWith(':A-1627'));
      expect(ampel?.description).toContain('Die Ampel an der Nordseite der Aachener ist verdreht.');
      expect(ampel?.locationText).toBe('Schillerstr. 1, 50858 Köln - Weiden');
      expect(ampel?.lat).toBeCloseTo(50.9384079215, 8);
      expect(ampel?.contactId).toBeNull();
      expect(ampel?.createdAt.toISOString()).toBe('2016-02-16T20:26:17.000Z');
      const notes = await ctx.db
        .select()
        .from(messages)
        .where(and(eq(messages.caseId, ampel?.id ?? 0), eq(messages.kind, 'note')));
      expect(notes.map((n) => n.body).join('\n')).toContain('Übernommen aus Stadt Köln (Open311): Meldung A-1627 „Ampel defekt“');
      expect(source?.cursor?.toISOString()).toBe(
        new Date(Math.max(...koelnRecords().map((r) => Date.parse(r.requested_datetime)))).toISOString(),
      );
    });

    it('imports nothing twice on a second run', async () => {
      const result = await runData(ctx, open311Import, { url: server.url, since: '2016-01-01' });
      expect(result.stdout).toContain('50 Meldungen abgerufen, 0 neu übernommen, 50 schon vorhanden.');
      const [source] = await ctx.db.select().from(open311Sources);
      expect(await imported(source?.id ?? 0)).toHaveLength(50);
    });

    it('notes a change of status at the source on the case once, and leaves our own status to staff', async () => {
      const record = server.records.find((r) => r.service_request_id === 'A-1627');
      if (!record) throw new Error('sample changed');
      record.status = 'closed';
      record.status_notes = 'Ampel wurde neu ausgerichtet.';
      const first = await importFromSource(deps(), { url: server.url, since: SINCE });
      expect(first.statusChanges).toBe(1);
      const [source] = await ctx.db.select().from(open311Sources);
      const ampel = (await imported(source?.id ?? 0)).find((r) => r.externalId?.endsWith(':A-1627'));
      expect(ampel?.status).toBe('new');
      const notes = await ctx.db
        .select()
        .from(messages)
        .where(and(eq(messages.caseId, ampel?.id ?? 0), eq(messages.kind, 'note')));
      expect(notes.map((n) => n.body)).toContain(
        'Stadt Köln meldet für Meldung A-1627: Status erledigt – Ampel wurde neu ausgerichtet. Bitte prüfen Sie, ob das Anliegen auch hier erledigt ist.',
      );
      // The ids were asked in batches, as the spec's comma list.
      expect(server.calls.some((c) => c.includes('service_request_id=') && c.includes('A-1627'))).toBe(true);
      const again = await importFromSource(deps(), { url: server.url, since: SINCE });
      expect(again.statusChanges).toBe(0);
    });

    it('gets everything from a server that answers with fewer per page than asked, by splitting the time window', async () => {
      const small = await startGeoReportServer({ cap: 10 });
      try {
        const summary = await importFromSource(deps(), { url: small.url, name: 'Kleiner Server', since: SINCE, maxPerResponse: 10 });
        expect(summary.fetched).toBe(50);
        expect(summary.created).toBe(50);
        expect(summary.incomplete).toBe(0);
        expect(small.calls.length).toBeGreaterThan(5);
      } finally {
        await small.close();
      }
    });
  });

  it('says in German why a source cannot be read, and keeps the reason on the source', async () => {
    const failing = await startGeoReportServer({ records: [] });
    try {
      failing.failWith = { status: 403, description: 'Invalid api_key' };
      const refused = await runData(ctx, open311Import, { url: failing.url, name: 'Gesperrt' });
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('hat die Abfrage abgelehnt (HTTP 403): Invalid api_key.');
      const [source] = await ctx.db.select().from(open311Sources).where(eq(open311Sources.name, 'Gesperrt'));
      expect(source?.lastError).toContain('HTTP 403');
    } finally {
      await failing.close();
    }
    const closed = await runData(ctx, open311Import, { url: 'http://127.0.0.1:9/georeport/v2' });
    expect(closed.stderr).toContain('127.0.0.1:9 ist nicht erreichbar.');
    const bad = await runData(ctx, open311Import, { url: 'ftp://example.org/x' });
    expect(bad.stderr).toContain('Die Adresse muss mit https:// oder http:// beginnen.');
    const date = await runData(ctx, open311Import, { url: 'http://127.0.0.1:9/', since: 'gestern' });
    expect(date.stderr).toContain('„gestern“ ist kein Datum.');
  });

  it('skips single broken requests and imports the rest', async () => {
    const mixed = await startGeoReportServer({
      records: [
        {
          service_request_id: 'X-1',
          status: 'open',
          requested_datetime: '2026-11-30T10:00:00+01:00',
          description: 'Schlagloch vor der Schule',
        },
        {
          service_request_id: 'X-2',
          status: 'open',
          requested_datetime: '2026-11-30T11:00:00+01:00',
          description: 'Text mit \u0007 Steuerzeichen',
        },
        { status: 'open', requested_datetime: '2026-11-30T12:00:00+01:00' } as never,
      ],
    });
    try {
      const summary = await importFromSource(deps(), { url: mixed.url, name: 'Gemischt', since: new Date('2026-11-01T00:00:00Z') });
      expect(summary).toMatchObject({ fetched: 2, created: 1, skipped: 2 });
    } finally {
      await mixed.close();
    }
  });
});
