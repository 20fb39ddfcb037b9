import { Alert, CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { caseStatusLabels } from '../../cases/labels.ts';
import type { ReportFormValues } from '../../intake/form.ts';
import type { DuplicateCandidate } from '../detect.ts';
import { formatDate, formatDistance } from './format.ts';

export interface OfferProps {
  ctx: PageContext;
  values: ReportFormValues;
  candidates: DuplicateCandidate[];
  photoCount: number;
  locationFromPhoto: boolean;
  /** Set when the chosen report could no longer be followed (closed or merged meanwhile). */
  staleMessage?: string | undefined;
}

/** The entered values travel on as hidden fields, so either choice needs nothing typed again. */
function CarriedValues({ values }: { values: ReportFormValues }) {
  const fields: [string, string][] = [
    ['description', values.description],
    ['type', values.type],
    ['categoryId', values.categoryId],
    ['locationText', values.locationText],
    ['lat', values.lat],
    ['lon', values.lon],
    ['reporterName', values.reporterName],
    ['reporterEmail', values.reporterEmail],
    ['nonce', values.nonce],
  ];
  return (
    <>
      {fields.map(([name, value]) => (
        <input type="hidden" name={name} value={value} key={name} />
      ))}
      {values.consent && <input type="hidden" name="consent" value="yes" />}
    </>
  );
}

/**
 * "Das wurde schon gemeldet": shown instead of creating a case when similar open reports exist
 * nearby. Lists only what a stranger may see (number, category, a masked excerpt, distance,
 * status, date) – never who reported it. Works without JavaScript: one form, two kinds of submit
 * button; following posts to /melden/folgen via formaction.
 */
export function DuplicateOfferPage({ ctx, values, candidates, photoCount, locationFromPhoto, staleMessage }: OfferProps) {
  const several = candidates.length > 1;
  return (
    <Layout ctx={ctx} title="Das wurde schon gemeldet" head={<meta name="robots" content="noindex, nofollow" />}>
      <h1 class="kern-heading-large">Das wurde schon gemeldet – möchten Sie der Meldung folgen?</h1>
      {staleMessage && (
        <Alert kind="warning" title="Dieser Meldung können Sie nicht mehr folgen">
          <p class="kern-body">{staleMessage}</p>
        </Alert>
      )}
      {candidates.length > 0 ? (
        <p class="kern-body kern-body--large">
          Ganz in der Nähe {locationFromPhoto ? 'des Ortes aus Ihrem Foto ' : ''}
          {several
            ? 'gibt es schon offene Meldungen zur selben Kategorie, die nach demselben Anliegen klingen. Wenn Sie einer folgen'
            : 'gibt es schon eine offene Meldung zur selben Kategorie, die nach demselben Anliegen klingt. Wenn Sie ihr folgen'}
          , erfahren Sie, wie es weitergeht – und wir bearbeiten nichts doppelt.
        </p>
      ) : (
        <p class="kern-body kern-body--large">Es gibt dazu keine offene Meldung mehr. Sie können Ihr Anliegen jetzt neu melden.</p>
      )}
      <form method="post" action="/melden" enctype="multipart/form-data" class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <CarriedValues values={values} />
        {candidates.length > 0 && (
          <ul class="thread" aria-label={several ? 'Ähnliche Meldungen' : 'Ähnliche Meldung'}>
            {candidates.map((c) => (
              <li key={c.id}>
                <h2 class="kern-heading-small" id={`meldung-${c.number}`}>
                  Meldung {c.number}
                  {c.categoryName ? ` · ${c.categoryName}` : ''}
                </h2>
                {/* Already the public excerpt (public-text.ts publicCandidates), never the report as typed. */}
                <p class="kern-body message-body">„{c.description}“</p>
                <dl class="facts">
                  <dt>Ort</dt>
                  <dd>
                    {c.locationText ? `${c.locationText} · ` : ''}
                    {formatDistance(c.distanceM)}
                  </dd>
                  <dt>Gemeldet am</dt>
                  <dd>{formatDate(c.createdAt)}</dd>
                  <dt>Stand</dt>
                  <dd>{caseStatusLabels[c.status]}</dd>
                </dl>
                <p class="kern-body">
                  <button
                    type="submit"
                    class="kern-btn kern-btn--primary"
                    formaction="/melden/folgen"
                    name="follow"
                    value={c.number}
                    aria-describedby={`meldung-${c.number}`}
                  >
                    <span class="kern-label">Dieser Meldung folgen</span>
                  </button>
                </p>
              </li>
            ))}
          </ul>
        )}
        <h2 class="kern-heading-medium">{candidates.length > 0 ? 'Ist es doch etwas anderes?' : 'Neu melden'}</h2>
        <p class="kern-body">
          {candidates.length > 0
            ? 'Dann melden Sie es ruhig neu – mit allem, was Sie eingegeben haben. '
            : 'Alles, was Sie eingegeben haben, ist noch da. '}
          {photoCount === 1 && 'Ihr Foto haben wir bis morgen aufbewahrt, Sie müssen es nicht noch einmal auswählen. '}
          {photoCount > 1 && `Ihre ${photoCount} Fotos haben wir bis morgen aufbewahrt, Sie müssen sie nicht noch einmal auswählen. `}
          {values.reporterEmail
            ? `Wenn Sie folgen, schreiben wir Ihnen an ${values.reporterEmail}, sobald die Sache erledigt ist. `
            : 'Wenn Sie folgen, bekommen Sie einen persönlichen Link, unter dem Sie den Stand sehen. '}
          {`Ihre Beschreibung${photoCount > 0 ? ' und Ihre Fotos' : ''} legen wir dem Team dazu – vielleicht sehen Sie etwas, das noch fehlt.`}
        </p>
        <p class="kern-body">
          <button
            type="submit"
            class={`kern-btn kern-btn--${candidates.length > 0 ? 'secondary' : 'primary'}`}
            name="duplicates"
            value="ignore"
          >
            <span class="kern-label">Trotzdem neu melden</span>
          </button>
        </p>
      </form>
    </Layout>
  );
}
