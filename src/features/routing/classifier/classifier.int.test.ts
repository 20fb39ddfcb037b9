import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postForm } from '../../../../test/helpers/cases.ts';
import { type Basics, closedCases, lampTexts } from '../../../../test/helpers/classifier.ts';
import { createTestContext, createUser, describeDb, type TestContext } from '../../../../test/helpers/context.ts';
import { seedBasics } from '../../../../test/helpers/fixtures.ts';
import { cases } from '../../../infra/schema/index.ts';
import { allJobs } from '../../../jobs.ts';
import { createClassifier } from './classifier.ts';
import { listModels } from './queries.ts';
import { MIN_TRAINING_CASES, trainFromCsv } from './service.ts';

const root = join(import.meta.dirname, '..', '..', '..', '..');
const dataDir = join(root, '..', 'shared', 'data', 'maengelmelder-konstanz');

describeDb('routing classifier', () => {
  let ctx: TestContext;
  let basics: Basics;

  beforeAll(async () => {
    ctx = await createTestContext();
    basics = await seedBasics(ctx.db);
  });
  afterAll(() => ctx.close());

  const retrainJob = () => {
    const job = allJobs({ ...ctx, mailer: ctx.mailer }).find((j) => j.name === 'classifier.retrain');
    if (!job) throw new Error('classifier.retrain is not registered in src/jobs.ts');
    expect(job.cron).toBeTruthy();
    return job;
  };

  it('predicts nothing and skips retraining while there are too few closed cases', async () => {
    const classifier = createClassifier(ctx.db);
    expect(await classifier.predict({ text: 'Laterne dunkel' })).toBeNull();
    await closedCases(ctx, basics, 5);
    await retrainJob().handler({ reason: 'nightly' });
    expect(await listModels(ctx.db)).toHaveLength(0);
    expect(MIN_TRAINING_CASES).toBeGreaterThan(10);
  });

  it('the retrain job learns category, team and type from the closed cases', async () => {
    await closedCases(ctx, basics, 25);
    await retrainJob().handler({ reason: 'requested' });
    const models = await listModels(ctx.db);
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({ source: 'cases', active: true, trainedOn: 60 });
    const classifier = createClassifier(ctx.db);
    const lamp = await classifier.predict({ text: 'Die Strassenlaterne leuchtet nicht mehr', lat: 47.661, lon: 9.17 });
    expect(lamp?.category[0]?.label).toBe('strassenbeleuchtung');
    expect(lamp?.team[0]?.label).toBe('tiefbauamt');
    expect(lamp?.category).toHaveLength(2);
    const litter = await classifier.predict({ text: 'Jemand hat Sperrmuell abgeladen', lat: null, lon: null });
    expect(litter?.category[0]?.label).toBe('illegaler-muell');
    expect(litter?.team[0]?.label).toBe('leitstelle');
    // Every case was a defect: one value, nothing to decide, so no type suggestions.
    expect(litter?.type).toEqual([]);
  });

  it('trains from CSV content, stores the model active, and a running classifier picks it up', async () => {
    const classifier = createClassifier(ctx.db);
    const before = await classifier.predict({ text: 'Laterne dunkel' });
    const lines = ['text,lat,lon,category,type,team'];
    for (let i = 0; i < 40; i++) {
      lines.push(`"${lampTexts[i % 5]} (Nr. ${i})",47.66,9.17,strassenbeleuchtung,defect,tiefbauamt`);
      lines.push(`"Idee: eine Bank am See, Vorschlag ${i}",,,illegaler-muell,idea,innovationsmanagement`);
    }
    const csv = lines.join('\n');
    const { id, metrics } = await trainFromCsv({ db: ctx.db, log: ctx.log }, csv, { category: 'category', type: 'type', team: 'team' });
    expect(metrics.category?.cvAccuracy).toBeGreaterThan(0.9);
    const after = await classifier.predict({ text: 'Vorschlag: noch eine Bank am See' });
    expect(after?.modelId).toBe(id);
    expect(after?.modelId).not.toBe(before?.modelId);
    expect(after?.type[0]?.label).toBe('idea');
    expect(after?.team[0]?.label).toBe('innovationsmanagement');
    const models = await listModels(ctx.db);
    expect(models.filter((m) => m.active).map((m) => m.id)).toEqual([id]);
    await expect(trainFromCsv({ db: ctx.db, log: ctx.log }, csv, { category: 'kategorie', type: 'type', team: 'team' })).rejects.toThrow(
      /keine Spalte "kategorie"/,
    );
  });

  it('shows one-click suggestions on the case page that go through the edit form', async () => {
    // Back to a model from the town's own cases (categories and teams as slugs of this town).
    await closedCases(ctx, basics, 25);
    await retrainJob().handler({ reason: 'requested' });
    const admin = await createUser(ctx, { role: 'admin' });
    // Inserted directly: this test is about the case page, not about intake.
    const [filed] = await ctx.db
      .insert(cases)
      .values({
        number: '2026-80001',
        trackingToken: randomBytes(12).toString('hex'),
        channel: 'web',
        type: 'defect',
        description: 'Die Laterne vor Haus 3 ist dunkel',
        lat: 47.661,
        lon: 9.17,
      })
      .returning({ number: cases.number });
    if (!filed) throw new Error('case not inserted');
    const url = `/staff/faelle/${filed.number}`;
    const page = await ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('id="suggestions-title"');
    const button = 'Kategorie übernehmen: Straßenbeleuchtung';
    expect(page.body).toContain(button);
    const form = page.body.split('<form').find((f) => f.includes(button)) ?? '';
    const fields = Object.fromEntries(
      // An empty value is rendered without the attribute; a browser then sends "".
      [...form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)]
        .filter((m) => m[1] !== '_csrf')
        .map((m) => [m[1] as string, m[2] ?? '']),
    );
    expect(fields.categoryId).toBe(String(basics.categories.streetLight.id));
    const res = await postForm(ctx, url, `${url}/bearbeiten`, admin.cookie, fields);
    expect(res.statusCode, /kern-alert[\s\S]{0,600}/.exec(res.body)?.[0]).toBe(303);
    const [row] = await ctx.db.select({ categoryId: cases.categoryId }).from(cases).where(eq(cases.number, filed.number));
    expect(row?.categoryId).toBe(basics.categories.streetLight.id);
    const again = await ctx.app.inject({ method: 'GET', url, headers: { cookie: admin.cookie } });
    expect(again.body).toContain('ist schon eingetragen');
    expect(again.body).not.toContain(button);
  });
});

/** The real command line in a child process, as an operator would run it. */
function amtsblatt(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), ['src/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, DEMO_DATA: 'false', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

if (!existsSync(dataDir)) {
  process.stderr.write(`\n!!! ${dataDir} fehlt (../shared/data neben dem Repository): die Auswertung auf echten Daten wird ÜBERSPRUNGEN\n`);
}
describe.skipIf(!existsSync(dataDir))('amtsblatt classifier evaluate (real Mängelmelder data, a slice)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'amtsblatt-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes the first `n` rows of a data file, optionally without some columns, to a temp CSV. */
  function slice(name: string, n: number, drop: string[] = []): string {
    const records = parse(readFileSync(join(dataDir, name), 'utf8'), { columns: true }) as Record<string, string>[];
    const header = Object.keys(records[0] ?? {}).filter((c) => !drop.includes(c));
    const lines = [header.join(','), ...records.slice(0, n).map((r) => header.map((c) => quote(r[c] ?? '')).join(','))];
    const file = join(dir, `${name}-${n}-${drop.join('_')}.csv`);
    writeFileSync(file, lines.join('\n'));
    return file;
  }

  it('prints one JSON object with the agreed keys per label column, figures within range', async () => {
    const train = slice('train.csv', 600);
    const test = slice('test.csv', 200);
    const { code, stdout, stderr } = await amtsblatt(['classifier', 'evaluate', '--train', train, '--test', test, '--json']);
    expect(code, stderr).toBe(0);
    const report = JSON.parse(stdout) as Record<string, Record<string, number>>;
    expect(Object.keys(report).sort()).toEqual(['category', 'category_parent', 'group']);
    for (const column of Object.values(report)) {
      expect(Object.keys(column).sort()).toEqual(['accuracy', 'coverage_at_95_precision', 'macro_f1', 'n', 'top3_accuracy']);
      for (const key of ['accuracy', 'macro_f1', 'top3_accuracy', 'coverage_at_95_precision']) {
        expect(column[key]).toBeGreaterThanOrEqual(0);
        expect(column[key]).toBeLessThanOrEqual(1);
      }
    }
    expect(report.category?.n).toBe(200);
    // Even 600 training reports beat guessing the most frequent of 23 categories by far.
    expect(report.category?.accuracy).toBeGreaterThan(0.45);
    expect(report.category_parent?.top3_accuracy).toBeGreaterThan(report.category_parent?.accuracy ?? 1);
    expect(stderr).toContain('Lernen');
  }, 120_000);

  it('leaves out a label column the test file lacks, and explains a missing file', async () => {
    const train = slice('train.csv', 300);
    const test = slice('test.csv', 50, ['group']);
    const ok = await amtsblatt(['classifier', 'evaluate', '--train', train, '--test', test, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(Object.keys(JSON.parse(ok.stdout)).sort()).toEqual(['category', 'category_parent']);
    const missing = await amtsblatt(['classifier', 'evaluate', '--train', join(dir, 'nope.csv'), '--test', test]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Datei nicht gefunden');
  }, 120_000);
});
