import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { wantsHtml } from '../../../http/page.ts';
import type { Db } from '../../../infra/db.ts';
import { countHeld } from './queries.ts';

/**
 * The number beside "Nicht zugeordnet" in the staff navigation. Asked on each staff page a browser
 * loads (not on htmx fragments, photos or the live stream), counted only up to a cap, so the cost
 * stays one short query however much is held.
 */
export const heldCountPlugin = fp<{ db: Db }>(async (app: FastifyInstance, { db }) => {
  app.decorateRequest('heldCount', null);
  app.addHook('preHandler', async (request) => {
    if (!request.user || request.method !== 'GET' || request.headers['hx-request'] || !wantsHtml(request)) return;
    request.heldCount = await countHeld(db);
  });
});
