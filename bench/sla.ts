/**
 * SLA clocks: how long the business-time arithmetic takes (pure, per call), and what a clock adds
 * to intake (policy choice, due times, the clock row in the one-statement insert, three timed
 * sla.check jobs) compared with the same reports when no policy applies, and what a change of the
 * town's office hours costs when it moves REPORTS running clocks in the admin's transaction.
 * Embedded PGlite, sequential receive() calls in-process.
 *
 *   npx tsx bench/sla.ts            # REPORTS=500 by default
 * Figures go to docs/PERFORMANCE.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createChannelRegistry } from '../src/features/channels/registry.ts';
import { receive } from '../src/features/intake/service.ts';
import { saveOfficeHours } from '../src/features/sla/admin-service.ts';
import { addBusinessMinutes, businessMinutesBetween } from '../src/features/sla/business-time.ts';
import { computeClock } from '../src/features/sla/case-clock.ts';
import { businessCalendar, DEFAULT_OFFICE_HOURS } from '../src/features/sla/holidays.ts';
import { scheduleSlaChecks } from '../src/features/sla/jobs.ts';
import { invalidateSlaSettings } from '../src/features/sla/settings.ts';
import { systemClock } from '../src/infra/clock.ts';
import { openDatabase, runMigrations } from '../src/infra/db.ts';
import { createLogger } from '../src/infra/log.ts';
import { createQueue } from '../src/infra/queue.ts';
import { slaPolicies } from '../src/infra/schema/index.ts';
import { fileStorage } from '../src/infra/storage.ts';
import { seedBasics } from '../test/helpers/fixtures.ts';
import { percentile } from './stats.ts';

const REPORTS = Number(process.env.REPORTS ?? 500);
const CALLS = 20_000;

function arithmetic() {
  const cal = businessCalendar(DEFAULT_OFFICE_HOURS, 'BW');
  const start = new Date('2026-03-27T10:00:00Z');
  for (let i = 0; i < 1000; i++) addBusinessMinutes(start, 2400, cal);
  const measure = (label: string, fn: (i: number) => unknown) => {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) fn(i);
    const us = ((performance.now() - t0) * 1000) / CALLS;
    process.stdout.write(`${label}: ${us.toFixed(1)} µs per call\n`);
  };
  measure('addBusinessMinutes, 8 h', (i) => addBusinessMinutes(new Date(start.getTime() + i * 60_000), 480, cal));
  measure('addBusinessMinutes, 40 h (over a weekend and the DST switch)', (i) =>
    addBusinessMinutes(new Date(start.getTime() + i * 60_000), 2400, cal),
  );
  measure('businessMinutesBetween, one week', (i) =>
    businessMinutesBetween(new Date(start.getTime() + i * 60_000), new Date(start.getTime() + 7 * 86_400_000), cal),
  );
  const clock = {
    startedAt: start,
    responseMinutes: 480,
    resolutionMinutes: 2400,
    warnPercent: 80,
    responsePausedMinutes: 0,
    resolutionPausedMinutes: 30,
    firstResponseAt: null,
    pausedSince: null,
  };
  measure('computeClock (both deadlines and the warning)', (i) =>
    computeClock({ ...clock, startedAt: new Date(start.getTime() + i * 60_000) }, cal),
  );
}

async function intake() {
  const dir = mkdtempSync(join(tmpdir(), 'amtsblatt-bench-sla-'));
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' });
  const log = createLogger('silent');
  const database = await openDatabase({});
  try {
    await runMigrations(database);
    const queue = await createQueue(database, log);
    const db = database.db;
    await seedBasics(db);
    const deps = {
      db,
      queue,
      storage: fileStorage(join(dir, 'uploads')),
      clock: systemClock,
      log,
      channels: createChannelRegistry({ publicUrl: config.publicUrl, townName: config.townName }),
      config,
    };
    const run = async (label: string) => {
      const times: number[] = [];
      for (let i = 0; i < REPORTS; i++) {
        const t0 = performance.now();
        await receive(deps, {
          channel: 'phone',
          externalId: `${label}-${i}`,
          type: 'defect',
          categoryId: null,
          description: 'Die Laterne vor Hausnummer 12 ist dunkel.',
          locationText: null,
          lat: null,
          lon: null,
          reporterName: null,
          reporterEmail: null,
          consentAt: null,
        });
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      process.stdout.write(
        `intake ${label}: p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (${REPORTS} reports)\n`,
      );
    };
    await run('warm-up');
    await run('without a policy');
    await db.insert(slaPolicies).values({ name: 'Standard', responseMinutes: 480, resolutionMinutes: 2400 });
    invalidateSlaSettings(db);
    await run('with a clock');
    const sends: number[] = [];
    for (let i = 0; i < REPORTS; i++) {
      const t0 = performance.now();
      await scheduleSlaChecks(queue, [{ caseId: 1, at: new Date(Date.now() + 3_600_000) }]);
      sends.push(performance.now() - t0);
    }
    sends.sort((a, b) => a - b);
    process.stdout.write(`of which scheduling the first check (one pg-boss send): p50 ${percentile(sends, 50).toFixed(2)} ms\n`);
    // Every clock above runs on the town's default hours: switching them moves all in one transaction.
    const admin = { db, log, queue, state: config.bundesland, now: () => new Date(), recomputeInline: REPORTS };
    const weeks = [
      ['08:00–16:00', '08:00–16:00', '08:00–16:00', '08:00–18:00', '08:00–12:00', '', ''],
      ['07:00–19:00', '07:00–19:00', '07:00–19:00', '07:00–19:00', '07:00–19:00', '09:00–12:00', ''],
    ];
    for (const [n, week] of weeks.entries()) {
      const t0 = performance.now();
      const outcome = await saveOfficeHours(admin, null, Object.fromEntries(week.map((d, i) => [`day${i}`, d])));
      const ms = performance.now() - t0;
      process.stdout.write(
        `office hours change ${n + 1}, ${outcome.count} running clocks moved in the admin's transaction: ${ms.toFixed(0)} ms (${((ms * 1000) / Math.max(1, outcome.count)).toFixed(0)} µs per clock)\n`,
      );
    }
    await queue.stop();
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

arithmetic();
await intake();
