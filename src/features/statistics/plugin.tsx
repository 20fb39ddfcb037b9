import type { FastifyPluginAsync } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { figuresCsv } from './csv.ts';
import { cachedFigures, computeFigures } from './figures.ts';
import { StatisticsPage } from './views/statistics.tsx';

/** /statistik: what the town was told and how fast it answered, from the public projection only. */
export const statisticsPlugin: FastifyPluginAsync<{ deps: AppDeps }> = async (app, { deps }) => {
  const figures = cachedFigures((now) => computeFigures(deps.database.db, now));

  app.get('/statistik', async (request, reply) => {
    const f = await figures(deps.clock.now());
    return sendPage(reply, <StatisticsPage ctx={pageContext(request, reply)} figures={f} />);
  });

  app.get('/statistik.csv', async (_request, reply) => {
    const f = await figures(deps.clock.now());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="statistik.csv"')
      .header('cache-control', 'public, max-age=600')
      .send(figuresCsv(f));
  });
};
