import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import { sendConditional } from '../../http/conditional.ts';
import { describeError } from '../../http/errors.tsx';
import { pageContext, sendPage } from '../../http/page.ts';
import type { DbOrTx } from '../../infra/db.ts';
import { invalid, notFound } from '../../infra/errors.ts';
import type { Storage } from '../../infra/storage.ts';
import { referenceData } from '../cases/reference-data.ts';
import {
  type PublicCaseFilter,
  publicCaseByNumber,
  publicCaseCount,
  publicCaseCountUpTo,
  publicCasePage,
  publicCasePoints,
  publicPhoto,
  publicUpdatesOf,
} from '../transparency/projection/read.ts';
import { ATOM_TYPE, atomFeed, FEED_SIZE, type FilterLabels, feedPath, feedTitle } from './feed.ts';
import { COUNT_CAP, type FilterChoices, type FilterValues, PAGE_SIZE, parseQuery } from './filters.ts';
import { MAP_CAP, parseBbox, toFeatureCollection } from './geojson.ts';
import { CasePage } from './views/case.tsx';
import { ListPage, type ListResult } from './views/list.tsx';

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
  publicUrl: string;
  mapRequestsPerMinute: number;
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
  const labels: FilterLabels = {
    categories: new Map(categories.map((c) => [c.value, c.label])),
    districts: new Map(districts.map((d) => [d.value, d.label])),
  };
  return { categories, districts, choices, labels };
}

export function listRoutes(app: FastifyInstance, { db, map }: Deps): void {
  app.get('/meldungen', async (request, reply) => {
    const { categories, districts, choices, labels } = await filterChoices(db);
    const parsed = parseQuery(request.query, choices);
    const feed = { href: feedPath(parsed.ok ? parsed.values : {}), title: feedTitle(app.townName, parsed.ok ? parsed.values : {}, labels) };
    const page = (result: ListResult | null, errors: Record<string, string>) => (
      <ListPage
        ctx={pageContext(request, reply)}
        values={parsed.values}
        errors={errors}
        categories={categories}
        districts={districts}
        result={result}
        map={map}
        feed={feed}
      />
    );
    if (!parsed.ok) return sendPage(reply, page(null, parsed.errors), 400);
    return sendPage(reply, page(await listResult(db, parsed.filter, parsed.page), {}));
  });
}

/**
 * The page asked for and its count, in parallel. The count stops at COUNT_CAP; only a page past
 * the end of a list longer than that costs a full count (to find the last page).
 */
async function listResult(db: DbOrTx, filter: PublicCaseFilter, asked: number): Promise<ListResult> {
  const offsetOf = (n: number) => (n - 1) * PAGE_SIZE;
  const [counted, rows] = await Promise.all([
    publicCaseCountUpTo(db, filter, COUNT_CAP),
    publicCasePage(db, filter, { offset: offsetOf(asked), limit: PAGE_SIZE }),
  ]);
  if (counted.more && rows.rows.length > 0) {
    return { total: counted.n, totalAtLeast: true, page: asked, lastPage: null, hasNext: rows.more, rows: rows.rows, clampedFrom: null };
  }
  const total = counted.more ? await publicCaseCount(db, filter) : counted.n;
  const lastPage = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const shown = Math.min(asked, lastPage);
  const shownRows = shown === asked ? rows.rows : (await publicCasePage(db, filter, { offset: offsetOf(shown), limit: PAGE_SIZE })).rows;
  return {
    total,
    totalAtLeast: false,
    page: shown,
    lastPage,
    hasNext: shown < lastPage,
    rows: shownRows,
    clampedFrom: shown === asked ? null : asked,
  };
}

/** A German JSON error for the scripts that read these answers, whatever refused the request. */
function jsonErrors(scope: FastifyInstance, tooMany: string) {
  scope.setErrorHandler((err, request, reply) => {
    const { status, message } = describeError(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    // The rate limiter has set Retry-After already; the message says what to do.
    return reply
      .status(status)
      .type('application/json; charset=utf-8')
      .send({ error: status === 429 ? tooMany : message });
  });
}

export function mapRoutes(app: FastifyInstance, { db, mapRequestsPerMinute }: Deps): void {
  // The map's data: its own scope, so that every refusal (also the input edge's) is JSON for the script.
  app.register(async (scope) => {
    jsonErrors(
      scope,
      'Die Karte wurde in kurzer Zeit sehr oft neu geladen. Bitte warten Sie einen Moment; die Liste unter der Karte zeigt alle Meldungen.',
    );
    scope.get(
      '/meldungen/karte.geojson',
      // Per client address: each answer is a bbox query of up to 500 rows, the dearest public read.
      { config: { rateLimit: { max: mapRequestsPerMinute, timeWindow: 60_000 } } },
      async (request, reply) => {
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
      },
    );
  });
}

/** The Atom feeds: the list's filters, its newest FEED_SIZE reports. A bad filter is refused as on the list. */
export function feedRoutes(app: FastifyInstance, { db, publicUrl }: Deps): void {
  app.get('/meldungen/feed.atom', async (request, reply) => {
    const { choices, labels } = await filterChoices(db);
    const parsed = parseQuery(request.query, choices);
    if (!parsed.ok) {
      throw invalid(Object.values(parsed.errors)[0] ?? 'Diese Filter gibt es nicht. Bitte wählen Sie sie auf der Seite „Meldungen“ aus.');
    }
    const { rows } = await publicCasePage(db, parsed.filter, { offset: 0, limit: FEED_SIZE });
    const { xml, updated } = atomFeed({
      rows,
      values: parsed.values,
      title: feedTitle(app.townName, parsed.values, labels),
      townName: app.townName,
      publicUrl,
    });
    // Short, like the map: a case taken down leaves every cached feed within minutes.
    return sendConditional(request, reply, {
      body: xml,
      contentType: `${ATOM_TYPE}; charset=utf-8`,
      lastModified: updated,
      cacheControl: 'public, max-age=300',
    });
  });
}

export function caseRoutes(app: FastifyInstance, { db, storage }: Deps): void {
  app.get<NumberParams>('/meldungen/:number', async (request, reply) => {
    const { number } = request.params;
    const item = NUMBER_PATTERN.test(number) ? await publicCaseByNumber(db, number) : null;
    if (!item) throw noSuchCase();
    const [updates, { labels }] = await Promise.all([publicUpdatesOf(db, item.caseId), filterChoices(db)]);
    const feedOf = (values: FilterValues) => ({ href: feedPath(values), title: feedTitle(app.townName, values, labels) });
    const feeds = [
      ...(item.districtId !== null ? [feedOf({ bezirk: String(item.districtId) })] : []),
      ...(item.categorySlug ? [feedOf({ kategorie: item.categorySlug })] : []),
      feedOf({}),
    ];
    return sendPage(reply, <CasePage ctx={pageContext(request, reply)} item={item} updates={updates} feeds={feeds} />);
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
