import { Alert, Button, CsrfField, ErrorSummary, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { CaseLinkView } from '../../cases/case-links.ts';
import { caseStatusLabels } from '../../cases/labels.ts';
import type { CaseDetail } from '../../cases/queries.ts';
import type { CaseFormState } from '../../cases/views/case-forms.tsx';
import { Fact } from '../../cases/views/fact.tsx';
import { formatDate } from './format.ts';

const excerpt = (text: string, max = 240) => (text.length <= max ? text : `${text.slice(0, max).trimEnd()} …`);

export interface MergeSide {
  kase: CaseDetail;
  /** Everyone who hears of its resolution besides its own reporter (followers, merged duplicates). */
  reporters: number;
}

/** One case as the confirmation shows it: enough to see that both are the same thing. */
function CaseSummary({ side, label, headingId }: { side: MergeSide; label: string; headingId: string }) {
  const k = side.kase;
  return (
    <section aria-labelledby={headingId} class="merge-side">
      <h2 id={headingId} class="kern-heading-small">
        {label}:{' '}
        <a class="kern-link" href={`/staff/faelle/${k.number}`}>
          Anliegen {k.number}
        </a>
      </h2>
      <dl class="kern-description-list">
        <Fact label="Status">{caseStatusLabels[k.status]}</Fact>
        <Fact label="Eingegangen">{formatDate(k.createdAt)}</Fact>
        <Fact label="Kategorie">{k.categoryName ?? '–'}</Fact>
        <Fact label="Team">{k.teamName ?? 'ohne Team (Sichtung)'}</Fact>
        <Fact label="Ort">{k.locationText ?? k.districtName ?? '–'}</Fact>
        <Fact label="Meldende">{String(1 + side.reporters)}</Fact>
      </dl>
      <p class="kern-body message-body">{excerpt(k.description)}</p>
    </section>
  );
}

/**
 * "Zusammenführen": the number of the case to merge into, then both cases side by side and one
 * button that says what happens. Works without JavaScript (a GET form, then a POST form).
 */
export function ManualMergePage(p: {
  ctx: PageContext;
  here: MergeSide;
  typed: string;
  error?: string | undefined;
  target?: MergeSide | undefined;
}) {
  const k = p.here.kase;
  const errors = p.error ? { mit: p.error } : {};
  return (
    <Layout ctx={p.ctx} title={`Anliegen ${k.number} zusammenführen`}>
      <p class="kern-body">
        <a class="kern-link" href={`/staff/faelle/${k.number}`}>
          ← Zurück zu Anliegen {k.number}
        </a>
      </p>
      <h1 class="kern-heading-large">Anliegen {k.number} zusammenführen</h1>
      <ErrorSummary errors={errors} labels={{ mit: 'Nummer des anderen Anliegens' }} />
      <form method="get" action={`/staff/faelle/${k.number}/zusammenfuehren`} class="form-stack">
        <TextField
          name="mit"
          label="Nummer des anderen Anliegens"
          hint="Dieses Anliegen wird dort hinein zusammengeführt, z. B. 2026-00012"
          value={p.typed}
          maxLength={20}
          error={p.error}
        />
        <Button variant="secondary">Prüfen</Button>
      </form>
      {p.target && !p.error && (
        <>
          <div class="merge-compare">
            <CaseSummary side={p.here} label="Wird geschlossen" headingId="merge-source" />
            <CaseSummary side={p.target} label="Bleibt" headingId="merge-target" />
          </div>
          <Alert kind="warning" title="Bitte prüfen Sie, ob beide dasselbe meinen">
            <p class="kern-body">
              Anliegen {k.number} wird als „weitergeleitet“ geschlossen.{' '}
              {p.here.reporters > 0
                ? `Seine meldende Person und ${p.here.reporters} weitere bekommen Bescheid,`
                : 'Seine meldende Person bekommt Bescheid,'}{' '}
              wenn {p.target.kase.number} erledigt ist. Verlauf und Fotos bleiben bei {k.number}.
            </p>
          </Alert>
          <form method="post" action={`/staff/faelle/${k.number}/zusammenfuehren`} class="form-stack">
            <CsrfField token={p.ctx.csrfToken} />
            <input type="hidden" name="version" value={String(k.version)} />
            <input type="hidden" name="other" value={p.target.kase.number} />
            <input type="hidden" name="otherVersion" value={String(p.target.kase.version)} />
            <input type="hidden" name="into" value="other" />
            <div class="filters">
              <Button>
                {k.number} in {p.target.kase.number} zusammenführen
              </Button>
              <a class="kern-link" href={`/staff/faelle/${k.number}`}>
                Abbrechen
              </a>
            </div>
          </form>
        </>
      )}
    </Layout>
  );
}

/** The panel on the case page: merge by number (to the confirmation), link and unlink related cases. */
export function ManualLinkPanel(p: {
  number: string;
  open: boolean;
  related: CaseLinkView[];
  csrf: string | undefined;
  form: CaseFormState | undefined;
}) {
  const linkForm = p.form?.name === 'panel:verknuepfen' ? p.form : undefined;
  return (
    <section aria-labelledby="manual-links-title">
      <h2 id="manual-links-title" class="kern-heading-medium">
        Zusammenführen und verknüpfen
      </h2>
      {p.open ? (
        <form method="get" action={`/staff/faelle/${p.number}/zusammenfuehren`} class="form-stack">
          <TextField
            id="manual-merge-mit"
            name="mit"
            label="In Anliegen zusammenführen"
            hint="Nummer, z. B. 2026-00012; Sie sehen beide, bevor etwas geschieht"
            maxLength={20}
          />
          <Button variant="secondary">Zusammenführen prüfen</Button>
        </form>
      ) : (
        <p class="kern-body">Abgeschlossene oder schon zusammengeführte Anliegen lassen sich nicht mehr zusammenführen.</p>
      )}
      <form method="post" action={`/staff/faelle/${p.number}/verknuepfen`} class="form-stack">
        <CsrfField token={p.csrf} />
        <TextField
          id="panel:verknuepfen-other"
          name="other"
          label="Verwandtes Anliegen verknüpfen"
          hint="Beide bleiben für sich; auf beiden Seiten steht „Verknüpft mit …“"
          maxLength={20}
          value={linkForm?.values.other}
          error={linkForm?.errors.other}
        />
        <Button variant="secondary">Verknüpfen</Button>
      </form>
      {p.related.length > 0 && (
        <ul class="kern-list">
          {p.related.map((l) => (
            <li key={l.number}>
              <form method="post" action={`/staff/faelle/${p.number}/verknuepfung-loesen`} class="inline-form">
                <CsrfField token={p.csrf} />
                <input type="hidden" name="other" value={l.number} />
                Verknüpft mit{' '}
                <a class="kern-link" href={`/staff/faelle/${l.number}`}>
                  {l.number}
                </a>{' '}
                <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small">
                  <span class="kern-label">
                    Lösen<span class="kern-sr-only"> (Verknüpfung mit {l.number})</span>
                  </span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
