import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { handleError } from '../../http/errors.tsx';
import { requireStaff } from '../../http/guards.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError } from '../../infra/errors.ts';
import { canSeeTeam } from '../cases/access.ts';
import { categoryList } from '../cases/reference-data.ts';
import type { IntakeDeps } from '../intake/service.ts';
import { type CaptureFormValues, captureFieldErrors, captureFormSchema, captureValues, emptyCaptureForm } from './form.ts';
import { capturedCase } from './queries.ts';
import { submitCapture } from './service.ts';
import { CaptureFormPage } from './views/capture-form.tsx';

const FOREIGN_NONCE =
  'Dieses Formular wurde nicht in diesem Browser geöffnet oder ist veraltet. Bitte prüfen Sie die Angaben und speichern Sie erneut.';

/** What a refused control character leaves in the redisplayed form: the text without it. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const UNSHOWABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFD\uFFFE\uFFFF\uD800-\uDFFF]/g;

/** GET/POST /erfassen: staff take down a call, a visit, a letter or a fax. */
export function captureRoutes(app: FastifyInstance, deps: AppDeps): void {
  const intakeDeps: IntakeDeps = {
    db: deps.database.db,
    queue: deps.queue,
    storage: deps.storage,
    clock: deps.clock,
    log: deps.log.child({ module: 'capture' }),
    channels: deps.channels,
    config: deps.config,
  };

  const render = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: CaptureFormValues,
    status = 200,
    errors: Record<string, string> = {},
    saved: { number: string; teamName: string | null } | null = null,
  ) =>
    sendPage(
      reply,
      <CaptureFormPage
        ctx={pageContext(request, reply)}
        values={values}
        errors={errors}
        categories={await categoryList(intakeDeps.db, { activeOnly: true })}
        map={deps.config.map}
        saved={saved}
      />,
      status,
    );

  app.get('/erfassen', { preHandler: requireStaff }, async (request, reply) => {
    // ?erfasst=<nonce>: back from saving a case of a team this clerk cannot open; the nonce must be this browser's.
    const nonce = (request.query as Record<string, unknown>).erfasst;
    const found = typeof nonce === 'string' && request.ownsFormNonce(nonce) ? await capturedCase(intakeDeps.db, nonce) : null;
    return render(request, reply, emptyCaptureForm(reply.formNonce()), 200, {}, found);
  });

  app.post(
    '/erfassen',
    {
      preHandler: [requireStaff, app.csrfProtection],
      // The input edge refuses control characters before any handler runs; a signed-in clerk gets
      // the form back with what was typed (without those characters) instead of a bare error page.
      errorHandler: (err: FastifyError, request, reply) => {
        const body = request.body;
        if (request.user && err instanceof AppError && err.code === 'Invalid' && Object.keys(err.fields).length > 0 && isRecord(body)) {
          const nonce = typeof body.nonce === 'string' && request.ownsFormNonce(body.nonce) ? body.nonce : reply.formNonce();
          const cleaned = Object.fromEntries(
            Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v.replace(UNSHOWABLE, '') : v]),
          );
          return render(request, reply, captureValues(cleaned, nonce), 400, err.fields);
        }
        return handleError(err, request, reply);
      },
    },
    async (request, reply) => {
      const user = request.user;
      if (!user) throw new AppError('Unauthorized', 'Bitte melden Sie sich an.');
      const body = isRecord(request.body) ? request.body : {};
      // The nonce is the idempotency key: saving twice (double click, reload) makes one case.
      const ownNonce = typeof body.nonce === 'string' && request.ownsFormNonce(body.nonce);
      const values = captureValues(body, ownNonce ? (body.nonce as string) : reply.formNonce());
      const parsed = captureFormSchema.safeParse(body);
      const errors = parsed.success ? {} : captureFieldErrors(parsed.error);
      if (!ownNonce) errors.form ??= FOREIGN_NONCE;
      if (!parsed.success || !ownNonce) return render(request, reply, values, 400, errors);

      try {
        const result = await submitCapture(intakeDeps, parsed.data);
        request.log.info({ caseId: result.caseId, outcome: result.outcome, channel: parsed.data.channel }, 'case captured by staff');
        const kase = await capturedCase(intakeDeps.db, parsed.data.nonce);
        if (kase && canSeeTeam(user, kase.teamId)) return reply.redirect(`/staff/faelle/${result.number}?ok=angelegt`, 303);
        return reply.redirect(`/erfassen?erfasst=${encodeURIComponent(parsed.data.nonce)}`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'Invalid' && Object.keys(err.fields).length > 0) {
          return render(request, reply, values, 400, err.fields);
        }
        throw err;
      }
    },
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
