import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { describeError } from '../../http/errors.tsx';
import { pageContext, sendPage } from '../../http/page.ts';
import type { DbOrTx } from '../../infra/db.ts';
import { notFound } from '../../infra/errors.ts';
import type { Storage } from '../../infra/storage.ts';
import { referenceData } from '../cases/reference-data.ts';
import {
  publicCaseByNumber,
  publicCaseCount,
  publicCasePage,
  publicCasePoints,
  publicPhoto,
  publicUpdatesOf,
} from '../transparency/projection/read.ts';
import { type FilterChoices, PAGE_SIZE, parseQuery } from './filters.ts';
import { MAP_CAP, parseBbox, toFeatureCollection } from './geojson.ts';
import { CasePage } from './views/case.tsx';
import { ListPage } from './views/list.tsx';

/** Case numbers look like 2026-00042; anything else cannot be one and need not reach the database. */
const NUMBER_PATTERN = /^\d{4}-\d{5,9}$/;
const ID_PATTERN = /^\d{1,9}$/;

/** One answer for unknown and unpublished numbers alike, so the page tells nobody which is which. */
const noSuchCase = () =>
  notFound('Diese Meldung gibt es nicht oder sie ist nicht öffentlich. Alle öffentlichen Meldungen finden Sie unter „Meldungen“.');
const noSuchPhoto = () => notFound('Dieses Foto gibt es nicht oder es ist nicht öffentlich.');

interface Deps {
  db: DbOrTx;
  storage: Storage;
  map: Config['map'];
}

type NumberParams = { Params: { number: string } };
type PhotoParams = { Params: { number: string; attachmentId: string } };

async function filterChoices(db: DbOrTx) {
  const ref = await referenceData(db);
  const categories = [...ref.categoriesById.values()]
    .sort((a, b) => a.groupName.localeCompare(b.groupName, 'de') || a.name.localeCompare(b.name, 'de'))
    .map((c) => ({ value: c.slug, label: c.name, group: c.groupName }));
  const districts = [...ref.districts]
    .sort((a, b) => a.name.localeCompare(b.name, 'de'))
    .map((d) => ({ value: String(d.id), label: d.name }));
  const choices: FilterChoices = {
    categorySlugs: new Set(ref.categoriesBySlug.keys()),
    districtIds: new Set(ref.districts.map((d) => d.id)),
  };
  return { categories, districts, choices };
}

export function listRoutes(app: FastifyInstance, { db, map }: Deps): void {
  app.get('/meldungen', async (request, reply) => {
    const { categories, districts, choices } = await filterChoices(db);
    const parsed = parseQuery(request.query, choices);
    const page = (result: Parameters<typeof ListPage>[0]['result'], errors: Record<string, string>) => (
      <ListPage
        ctx={pageContext(request, reply)}
        values={parsed.values}
        errors={errors}
        categories={categories}
        districts={districts}
        result={result}
        map={map}
      />
    );
    if (!parsed.ok) return sendPage(reply, page(null, parsed.errors), 400);

    // Count and page in parallel; only a page past the end costs a second query (the last page).
    const offsetOf = (n: number) => (n - 1) * PAGE_SIZE;
    const [total, asked] = await Promise.all([
      publicCaseCount(db, parsed.filter),
      publicCasePage(db, parsed.filter, { offset: offsetOf(parsed.page), limit: PAGE_SIZE }),
    ]);
    const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const shown = Math.min(parsed.page, lastPage);
    const rows =
      shown === parsed.page ? asked.rows : (await publicCasePage(db, parsed.filter, { offset: offsetOf(shown), limit: PAGE_SIZE })).rows;
    return sendPage(reply, page({ total, page: shown, lastPage, rows, clampedFrom: shown === parsed.page ? null : parsed.page }, {}));
  });

  // The map's data: its own scope, so that every refusal (also the input edge's) is JSON for the script.
  app.register(async (scope) => {
    scope.setErrorHandler((err, request, reply) => {
      const { status, message } = describeError(err);
      if (status >= 500) request.log.error({ err }, 'request failed');
      return reply.status(status).type('application/json; charset=utf-8').send({ error: message });
    });
    scope.get('/meldungen/karte.geojson', async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      const bbox = parseBbox(query.bbox);
      if ('error' in bbox) return reply.status(400).send({ error: bbox.error, fields: { bbox: bbox.error } });
      const parsed = parseQuery(query, (await filterChoices(db)).choices);
      if (!parsed.ok) {
        return reply.status(400).send({ error: Object.values(parsed.errors)[0] ?? 'Die Filter sind ungültig.', fields: parsed.errors });
      }
      const { points, capped } = await publicCasePoints(db, { ...parsed.filter, box: bbox.box }, MAP_CAP);
      return reply
        .type('application/geo+json; charset=utf-8')
        .header('cache-control', 'public, max-age=30')
        .send(toFeatureCollection(points, capped));
    });
  });
}

export function caseRoutes(app: FastifyInstance, { db, storage }: Deps): void {
  app.get<NumberParams>('/meldungen/:number', async (request, reply) => {
    const { number } = request.params;
    const item = NUMBER_PATTERN.test(number) ? await publicCaseByNumber(db, number) : null;
    if (!item) throw noSuchCase();
    const updates = await publicUpdatesOf(db, item.caseId);
    return sendPage(reply, <CasePage ctx={pageContext(request, reply)} item={item} updates={updates} />);
  });

  const servePhoto = (variant: 'full' | 'thumb') => async (request: FastifyRequest<PhotoParams>, reply: FastifyReply) => {
    const { number, attachmentId } = request.params;
    if (!NUMBER_PATTERN.test(number) || !ID_PATTERN.test(attachmentId)) throw noSuchPhoto();
    const photo = await publicPhoto(db, number, Number(attachmentId));
    if (!photo) throw noSuchPhoto();
    const key = variant === 'full' ? photo.storageKey : (photo.thumbKey ?? photo.storageKey);
    const data = await storage.get(key).catch((err: unknown) => {
      request.log.warn({ err, key }, 'stored photo missing');
      return null;
    });
    if (!data) throw notFound('Dieses Foto ist leider nicht mehr vorhanden.');
    // Short-lived public caching: a photo withdrawn from publication disappears from caches within minutes.
    return reply.type(photo.mimeType).header('cache-control', 'public, max-age=600').header('content-disposition', 'inline').send(data);
  };
  app.get<PhotoParams>('/meldungen/:number/fotos/:attachmentId', servePhoto('full'));
  app.get<PhotoParams>('/meldungen/:number/fotos/:attachmentId/vorschau', servePhoto('thumb'));
}
