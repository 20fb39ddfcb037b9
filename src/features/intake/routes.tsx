import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../http/deps.ts';
import { pageContext, sendPage } from '../../http/page.ts';
import { AppError, notFound } from '../../infra/errors.ts';
import { trackingUrl } from '../cases/links.ts';
import { categoryList } from '../cases/reference-data.ts';
import { duplicatesDeps } from '../duplicates/deps.ts';
import { DuplicateOfferPage } from '../duplicates/views/offer.tsx';
import { submitWebReportChecked } from '../duplicates/web-check.ts';
import { emptyForm, formValues, type ReportFormValues, reportFieldErrors, reportFormSchema, uploadedFiles } from './form.ts';
import { LIMITS } from './inbound.ts';
import { thanksInfo } from './queries.ts';
import type { IntakeDeps } from './service.ts';
import { ReportFormPage } from './views/report-form.tsx';
import { ThanksPage } from './views/thanks.tsx';

/** Asked for when a nonce was not issued to this browser: a copied or old form. */
const FOREIGN_NONCE =
  'Dieses Formular wurde nicht in diesem Browser geöffnet oder ist veraltet. Bitte prüfen Sie Ihre Angaben und senden Sie es noch einmal.';

export function intakeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const intakeDeps: IntakeDeps = {
    db: deps.database.db,
    queue: deps.queue,
    storage: deps.storage,
    clock: deps.clock,
    log: deps.log.child({ module: 'intake' }),
    channels: deps.channels,
    config: deps.config,
  };

  const duplicates = duplicatesDeps(deps);

  const renderForm = async (
    request: Parameters<typeof pageContext>[0],
    reply: Parameters<typeof pageContext>[1],
    values: ReportFormValues,
    status = 200,
    errors: Record<string, string> = {},
    photosDropped = false,
  ) =>
    sendPage(
      reply,
      <ReportFormPage
        ctx={pageContext(request, reply)}
        values={values}
        errors={errors}
        categories={await categoryList(intakeDeps.db, { activeOnly: true })}
        map={deps.config.map}
        maxPhotoBytes={deps.config.maxPhotoBytes}
        photosDropped={photosDropped}
      />,
      status,
    );

  app.get('/melden', (request, reply) => renderForm(request, reply, emptyForm(reply.formNonce())));

  app.post(
    '/melden',
    {
      preHandler: app.csrfProtection,
      // Generous for a town hall behind one NAT address, tight enough to stop a script flooding the inbox.
      config: { rateLimit: { max: deps.config.reportsPerIpPer10Min, timeWindow: '10 minutes' } },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      // The nonce is the form's idempotency key: the report it made answers every repeat with its
      // tracking link. Only the browser it was issued to may use it; anyone else gets a fresh form.
      const ownNonce = typeof body.nonce === 'string' && request.ownsFormNonce(body.nonce);
      const values = formValues(body, ownNonce ? (body.nonce as string) : reply.formNonce());
      const uploads = uploadedFiles(body.photos);
      const parsed = reportFormSchema.safeParse(body);
      const errors = parsed.success ? {} : reportFieldErrors(parsed.error);
      if (!ownNonce) errors.form ??= FOREIGN_NONCE;
      if (uploads.length > LIMITS.photos) errors.photos = `Sie können höchstens ${LIMITS.photos} Fotos anhängen.`;
      if (!parsed.success || !ownNonce || errors.photos) return renderForm(request, reply, values, 400, errors, uploads.length > 0);

      try {
        // Similar open reports nearby: the citizen may follow one instead ("Trotzdem neu melden" skips the check).
        const checked = await submitWebReportChecked(duplicates, parsed.data, uploads, { checkDuplicates: body.duplicates !== 'ignore' });
        if (checked.kind === 'following') return reply.redirect(`/folgen/${checked.token}`, 303);
        if (checked.kind === 'offer') {
          const { candidates, photoCount, locationFromPhoto } = checked;
          const ctx = pageContext(request, reply);
          return sendPage(reply, <DuplicateOfferPage {...{ ctx, values, candidates, photoCount, locationFromPhoto }} />);
        }
        const result = checked.result;
        request.log.info({ caseId: result.caseId, outcome: result.outcome, photos: uploads.length }, 'web report received');
        return reply.redirect(`/melden/danke/${result.trackingToken}`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'Invalid' && Object.keys(err.fields).length > 0) {
          return renderForm(request, reply, values, 400, err.fields, uploads.length > 0);
        }
        throw err;
      }
    },
  );

  app.get<{ Params: { token: string } }>('/melden/danke/:token', async (request, reply) => {
    const info = await thanksInfo(intakeDeps.db, request.params.token);
    if (!info) throw notFound('Diese Bestätigungsseite gibt es nicht. Bitte prüfen Sie, ob der Link vollständig ist.');
    // The URL carries the tracking token: it must not leak through the Referer header.
    reply.header('referrer-policy', 'no-referrer');
    return sendPage(
      reply,
      <ThanksPage
        ctx={pageContext(request, reply)}
        number={info.number}
        trackingUrl={trackingUrl(deps.config.publicUrl, info.token)}
        mailQueued={info.mailQueued}
        photoLocationUsed={info.photoLocationUsed}
      />,
    );
  });
}
