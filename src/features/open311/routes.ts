import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { forbidden, notFound } from '../../infra/errors.ts';
import { categoryList } from '../cases/reference-data.ts';
import type { IntakeDeps } from '../intake/service.ts';
import {
  type PublicCase,
  publicCaseByNumber,
  publicCasePage,
  publicPhoto,
  publicUpdatesBetween,
  publicUpdatesOfCases,
} from '../transparency/projection/read.ts';
import { type ClientKey, keyOf, lastUsedRecorder } from './api-keys.ts';
import { definitionOf, serviceExtras } from './attributes.ts';
import { type Format, formats, sendDocument, splitFormat, type Value } from './format.ts';
import { postRequest } from './post.ts';
import { param, parseRequestsQuery, parseUpdatesQuery } from './query.ts';
import { extendedRequestOf, requestOf, updateOf } from './shape.ts';
import { requestTokens } from './token.ts';

/** Reads without a key: per client address, generous for an app, tight for a scraper. */
const ANONYMOUS_PER_MINUTE = 120;
/** When this API last changed in a way clients should know of (discovery's changeset). */
const CHANGESET = '2026-12-01T00:00:00+01:00';

type Query = Record<string, unknown>;

/** The key a client sent: api_key in the form or the query (the spec), or an X-Api-Key header. */
function presentedKey(request: FastifyRequest): string | undefined {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const fromBody = typeof body.api_key === 'string' ? body.api_key : undefined;
  const fromHeader = request.headers['x-api-key'];
  const value = fromBody ?? param(request.query as Query, 'api_key') ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
  return value?.trim() || undefined;
}

/** GeoReport v2 under /georeport/v2 (registered with that prefix and its own error format). */
export function open311Routes(app: FastifyInstance, deps: AppDeps, sessionSecret: string): void {
  const db = deps.database.db;
  const publicUrl = deps.config.publicUrl;
  const tokens = requestTokens(sessionSecret);
  const recordUse = lastUsedRecorder(db);
  const intake: IntakeDeps = {
    db,
    queue: deps.queue,
    storage: deps.storage,
    clock: deps.clock,
    log: deps.log.child({ module: 'open311' }),
    channels: deps.channels,
    config: deps.config,
  };

  app.decorateRequest('open311Key', null);
  // A key is needed to post; a read may bring one for its own, larger rate limit. A wrong or
  // revoked key is refused either way, so a client learns of it at once.
  app.addHook('preHandler', async (request) => {
    const presented = presentedKey(request);
    if (presented === undefined) {
      if (request.method === 'POST')
        throw forbidden('Zum Melden brauchen Sie einen API-Schlüssel (api_key). Die Stadtverwaltung vergibt ihn.');
      return;
    }
    const key = await keyOf(db, presented);
    if (!key) throw forbidden('Dieser API-Schlüssel (api_key) ist ungültig.');
    if (key.revoked) throw forbidden('Dieser API-Schlüssel wurde widerrufen. Bitte fragen Sie bei der Stadtverwaltung einen neuen an.');
    request.open311Key = key;
    await recordUse(key.id, deps.clock.now());
  });

  // One limiter (one counter store) for every route, so a key's budget counts across all of them.
  const limiter = app.rateLimit({
    timeWindow: 60_000,
    max: (request: FastifyRequest) => request.open311Key?.requestsPerMinute ?? ANONYMOUS_PER_MINUTE,
    keyGenerator: (request: FastifyRequest) => (request.open311Key ? `key:${request.open311Key.id}` : `ip:${request.ip}`),
  });
  // Keyed, without cookies: a cross-site request cannot borrow anyone's session here.
  const config = { cookieless: true };

  /** Registers `name.json` and `name.xml`. */
  const both = (
    method: 'GET' | 'POST',
    name: string,
    handler: (request: FastifyRequest, reply: FastifyReply, format: Format) => unknown,
  ) => {
    for (const format of formats) {
      app.route({
        method,
        url: `/${name}.${format}`,
        config,
        preHandler: limiter,
        handler: (request, reply) => handler(request, reply, format),
      });
    }
  };
  /** `requests/:file` with `file` = `<id>.<format>`. */
  const withId = (name: string, handler: (request: FastifyRequest, reply: FastifyReply, id: string, format: Format) => unknown) => {
    app.get<{ Params: { file: string } }>(`/${name}/:file`, { config, preHandler: limiter }, (request, reply) => {
      const split = splitFormat(request.params.file);
      if (!split) throw notFound('Bitte hängen Sie das Format an: .json oder .xml.');
      return handler(request, reply, split.name, split.format);
    });
  };

  both('GET', 'discovery', (_request, reply, format) =>
    sendDocument(reply, format, 'discovery', {
      changeset: CHANGESET,
      contact: `${deps.config.townName}, ${publicUrl}`,
      key_service: `API-Schlüssel zum Melden vergibt die Verwaltung von ${deps.config.townName}; Lesen geht ohne Schlüssel.`,
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${publicUrl}/georeport/v2`,
          changeset: CHANGESET,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    }),
  );

  const activeServices = async () => (await categoryList(db, { activeOnly: true })).filter((c) => c.active);

  both('GET', 'services', async (_request, reply, format) => {
    const extras = await serviceExtras(db);
    return sendDocument(
      reply,
      format,
      'services',
      (await activeServices()).map((c) => {
        const extra = extras.get(c.slug);
        return {
          service_code: c.slug,
          service_name: c.name,
          description: `${c.groupName}: ${c.name}`,
          // true: services/{code} lists further questions (attributes) a client should ask.
          metadata: (extra?.attributes.length ?? 0) > 0,
          type: 'realtime',
          keywords: [c.name, c.groupName, ...(extra?.keywords ?? [])].join(', '),
          group: c.groupName,
        };
      }),
    );
  });

  withId('services', async (_request, reply, code, format) => {
    const service = (await activeServices()).find((c) => c.slug === code);
    if (!service) throw notFound(`Den service_code „${code.slice(0, 100)}“ gibt es nicht.`);
    const attributes = (await serviceExtras(db)).get(service.slug)?.attributes ?? [];
    return sendDocument(reply, format, 'service_definition', { service_code: service.slug, attributes: definitionOf(attributes) });
  });

  const requestsOf = async (rows: PublicCase[], extensions: boolean): Promise<Value[]> => {
    if (!extensions) return rows.map((c) => requestOf(c, publicUrl));
    const updates = await publicUpdatesOfCases(
      db,
      rows.map((r) => r.caseId),
    );
    return rows.map((c) =>
      extendedRequestOf(
        c,
        updates.filter((u) => u.caseId === c.caseId),
        publicUrl,
      ),
    );
  };

  both('GET', 'requests', async (request, reply, format) => {
    const q = parseRequestsQuery(request.query as Query, deps.clock.now());
    const { rows } = await publicCasePage(db, q.filter, { offset: q.offset, limit: q.limit });
    return sendDocument(reply, format, 'service_requests', await requestsOf(rows, q.extensions));
  });

  withId('requests', async (request, reply, number, format) => {
    // Unpublished and unknown answer alike: the API must not tell which numbers exist.
    const found = await publicCaseByNumber(db, number);
    if (!found) throw notFound(`Die Meldung ${number.slice(0, 40)} gibt es nicht oder sie ist nicht öffentlich.`);
    const extensions = param(request.query as Query, 'extensions') === 'true';
    return sendDocument(reply, format, 'service_requests', await requestsOf([found], extensions));
  });

  both('POST', 'requests', async (request, reply, format) => {
    const key = request.open311Key as ClientKey;
    const idempotencyKey = request.headers['idempotency-key'];
    const result = await postRequest(
      intake,
      key,
      (request.body ?? {}) as Record<string, unknown>,
      typeof idempotencyKey === 'string' ? idempotencyKey : undefined,
    );
    return sendDocument(
      reply,
      format,
      'service_requests',
      [
        {
          service_request_id: result.number,
          token: tokens.tokenOf(result.number),
          service_notice: `Vielen Dank, die Meldung ist als ${result.number} eingegangen. Öffentlich sichtbar wird sie, sobald die Verwaltung sie freigegeben hat.`,
          account_id: null,
        },
      ],
      result.outcome === 'created' ? 201 : 200,
    );
  });

  withId('tokens', async (_request, reply, token, format) => {
    const number = tokens.numberOf(token);
    // Until the case is published the token answers 404, like a token we never gave out.
    const found = number ? await publicCaseByNumber(db, number) : null;
    if (!found) throw notFound('Zu diesem Token gibt es (noch) keine öffentliche Meldung. Bitte fragen Sie später noch einmal.');
    return sendDocument(reply, format, 'service_requests', [{ service_request_id: found.number, token }]);
  });

  both('GET', 'servicerequestupdates', async (request, reply, format) => {
    const window = parseUpdatesQuery(request.query as Query, deps.clock.now());
    const updates = await publicUpdatesBetween(db, window);
    return sendDocument(reply, format, 'service_request_updates', updates.map(updateOf));
  });

  app.get<{ Params: { number: string; id: string } }>('/media/:number/:id', { config, preHandler: limiter }, async (request, reply) => {
    const id = /^\d{1,9}$/.test(request.params.id) ? Number(request.params.id) : null;
    const photo = id === null ? null : await publicPhoto(db, request.params.number, id);
    if (!photo) throw notFound('Dieses Foto gibt es nicht oder es ist nicht öffentlich.');
    const data = await deps.storage.get(photo.storageKey).catch(() => null);
    if (!data) throw notFound('Dieses Foto ist leider nicht mehr vorhanden.');
    return reply.type(photo.mimeType).header('cache-control', 'public, max-age=3600').header('content-disposition', 'inline').send(data);
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The Open311 client's key, when it sent a valid one. */
    open311Key: ClientKey | null;
  }
}
