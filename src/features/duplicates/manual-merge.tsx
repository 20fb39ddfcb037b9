import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError } from '../../infra/errors.ts';
import { type LinkBy, linkRelated, linksOf, unlinkRelated } from '../cases/case-links.ts';
import { CASE_NUMBER, visibleCase } from '../cases/case-view.ts';
import { closedStatuses } from '../cases/labels.ts';
import type { CasePanel } from '../cases/panels.ts';
import type { CaseDetail } from '../cases/queries.ts';
import type { StaffActor } from '../cases/service.ts';
import type { DuplicatesDeps } from './deps.ts';
import { checkMergeable } from './merge-service.ts';
import { reportersOf } from './queries.ts';
import { ManualLinkPanel, ManualMergePage, type MergeSide } from './views/manual-merge.tsx';

type NumberParams = { Params: { number: string } };

const otherNumber = z.object({
  other: z
    .string({ message: 'Bitte geben Sie die Nummer des anderen Anliegens ein.' })
    .trim()
    .min(1, 'Bitte geben Sie die Nummer des anderen Anliegens ein.')
    .regex(CASE_NUMBER, 'Bitte geben Sie die Nummer so ein: 2026-00012.'),
});

const okMessages = {
  verknuepft: 'Die Anliegen sind verknüpft; beide zeigen jetzt „Verknüpft mit …“.',
  'schon-verknuepft': 'Diese Anliegen sind schon verknüpft. Es gab nichts zu ändern.',
  'verknuepfung-geloest': 'Die Verknüpfung ist gelöst.',
};

/**
 * Merging and linking by hand, as a panel of the case page (so the cases core does not import
 * this feature). The merge itself is the detector's mergeCases, through the same POST route.
 */
export function manualLinkPanel(deps: Pick<DuplicatesDeps, 'db' | 'clock'>): CasePanel {
  const by = (actor: StaffActor): LinkBy => ({ viewer: actor, actor: { userId: actor.id, label: actor.displayName } });
  return {
    id: 'manual-links',
    okMessages,
    async render({ db, kase, csrf, form }) {
      const open = kase.mergedIntoId === null && !closedStatuses.includes(kase.status);
      const related = (await linksOf(db, kase.id)).filter((l) => l.kind === 'related');
      return <ManualLinkPanel number={kase.number} open={open} related={related} csrf={csrf} form={form} />;
    },
    forms: [
      {
        path: 'verknuepfen',
        schema: otherNumber,
        async run(actor, kase, input) {
          const done = await linkRelated(deps, by(actor), kase.id, (input as z.infer<typeof otherNumber>).other);
          return done.outcome === 'linked' ? 'verknuepft' : 'schon-verknuepft';
        },
      },
      {
        path: 'verknuepfung-loesen',
        schema: otherNumber,
        async run(actor, kase, input) {
          const done = await unlinkRelated(deps, by(actor), kase.id, (input as z.infer<typeof otherNumber>).other);
          return done.outcome === 'unlinked' ? 'verknuepfung-geloest' : 'unveraendert';
        },
      },
    ],
  };
}

/**
 * GET /staff/faelle/:number/zusammenfuehren?mit=2026-00012: checks what was typed with the same
 * rules as the merge (not itself, both open and not merged, both the clerk's to change) and shows
 * both cases before the POST does it. A number that is missing or another team's answers 404
 * alike; one the clerk's team handed on answers 403; the other refusals 400.
 */
export function manualMergeRoutes(app: FastifyInstance, appDeps: AppDeps): void {
  const db = appDeps.database.db;
  const side = async (kase: CaseDetail): Promise<MergeSide> => ({ kase, reporters: (await reportersOf(db, kase.id)).length });

  app.get<NumberParams>('/staff/faelle/:number/zusammenfuehren', { preHandler: requireStaff }, async (request, reply) => {
    const user = request.user;
    if (!user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
    const here = await side(await visibleCase(db, user, request.params.number));
    const raw = (request.query as Record<string, unknown>).mit;
    const typed = typeof raw === 'string' ? raw.trim() : '';
    const show = (status: number, extra: { error?: string; target?: MergeSide } = {}) =>
      sendPage(reply, <ManualMergePage ctx={pageContext(request, reply)} here={here} typed={typed} {...extra} />, status);
    if (typed === '') return show(raw === undefined ? 200 : 400, raw === undefined ? {} : { error: 'Bitte geben Sie eine Nummer ein.' });
    if (!CASE_NUMBER.test(typed)) return show(400, { error: 'Bitte geben Sie die Nummer so ein: 2026-00012.' });
    if (typed === here.kase.number) return show(400, { error: 'Ein Anliegen lässt sich nicht mit sich selbst zusammenführen.' });
    try {
      const target = await side(await visibleCase(db, user, typed));
      await checkMergeable(db, here.kase);
      await checkMergeable(db, target.kase);
      return show(200, { target });
    } catch (err) {
      if (!(err instanceof AppError) || !['NotFound', 'Forbidden', 'Invalid'].includes(err.code)) throw err;
      const message = err.code === 'NotFound' ? `Ein Anliegen ${typed} gibt es nicht, oder Sie haben keinen Zugriff darauf.` : err.message;
      return show(err.status, { error: message });
    }
  });
}
