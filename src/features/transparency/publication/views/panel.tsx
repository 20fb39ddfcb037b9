import type { ComponentChildren } from 'preact';
import type { TextMask } from '../../../../infra/schema/index.ts';
import { Button, CsrfField, TextArea, TextField } from '../../../../ui/forms.tsx';
import { formatDateTime } from '../../../cases/time.ts';
import type { CaseFormState } from '../../../cases/views/case-forms.tsx';
import { publicStatusLabels } from '../../projection/read.ts';
import { neverMessage } from '../decide.ts';
import { PUBLIC_TEXT_MAX } from '../forms.ts';
import type { PublicationPanelData } from '../panel-data.ts';

export const maskKindLabels: Record<TextMask['kind'], string> = {
  email: 'E-Mail-Adresse',
  phone: 'Telefonnummer',
  iban: 'IBAN',
  plate: 'Kfz-Kennzeichen',
  house_number: 'Hausnummer',
  name: 'Name',
  url: 'Link',
};

const policyLabels: Record<'auto' | 'moderated' | 'never', (minutes: number) => string> = {
  never: () => 'nie',
  auto: (minutes: number) => `automatisch ${minutes} Minuten nach Eingang`,
  moderated: () => 'erst nach Freigabe durch eine Mitarbeiterin / einen Mitarbeiter',
};

export interface PanelProps {
  number: string;
  version: number;
  csrf: string | undefined;
  data: PublicationPanelData;
  form: CaseFormState | undefined;
}

/** One small form of the panel: CSRF, the case version, its fields and buttons. */
function PanelForm({ p, path, children, class: cls }: { p: PanelProps; path: string; children: ComponentChildren; class?: string }) {
  return (
    <form method="post" action={`/staff/faelle/${p.number}/${path}`} class={cls ?? 'form-stack'}>
      <CsrfField token={p.csrf} />
      <input type="hidden" name="version" value={String(p.version)} />
      {children}
    </form>
  );
}

function fieldOf(p: PanelProps, path: string, field: string) {
  const mine = p.form?.name === `panel:${path}` ? p.form : undefined;
  return { id: `panel:${path}-${field}`, value: mine?.values[field], error: mine?.errors[field] };
}

function StateLine({ d }: { d: PublicationPanelData }) {
  switch (d.state) {
    case 'published':
      return <>Veröffentlicht{d.decidedAt ? ` seit ${formatDateTime(d.decidedAt)}` : ''}.</>;
    case 'withdrawn':
      return <>Zurückgezogen: nicht mehr öffentlich{d.reason ? ` („${d.reason}“)` : ''}.</>;
    case 'withheld':
      return d.policy === 'never' ? <>Wird nicht veröffentlicht.</> : <>Nicht veröffentlicht{d.reason ? ` („${d.reason}“)` : ''}.</>;
    case 'pending':
      return d.publishAfter ? (
        <>Wird am {formatDateTime(d.publishAfter)} automatisch veröffentlicht, wenn niemand es vorher anhält.</>
      ) : (
        <>Noch nicht veröffentlicht: wartet auf Ihre Entscheidung.</>
      );
  }
}

/** "Veröffentlichung" on the case page: what the public would see, the masks, the photos, the decision. */
export function PublicationPanel(p: PanelProps) {
  const d = p.data;
  const never = d.policy === 'never';
  const text = fieldOf(p, 'oeffentlich-text', 'text');
  const term = fieldOf(p, 'oeffentlich-schwaerzen', 'term');
  const note = fieldOf(p, 'oeffentlich-hinweis', 'note');
  const withhold = fieldOf(p, 'oeffentlich-anhalten', 'reason');
  const withdraw = fieldOf(p, 'oeffentlich-zurueckziehen', 'reason');
  return (
    <section aria-labelledby="publication-title" class="form-stack">
      <h2 id="publication-title" class="kern-heading-medium">
        Veröffentlichung
      </h2>
      <p class="kern-body">
        <strong>
          <StateLine d={d} />
        </strong>
      </p>
      <p class="kern-body kern-body--small">
        {never
          ? `${neverMessage(d.categoryName)} Solche Anliegen betreffen oft Personen; deshalb lässt die Kategorie keine Veröffentlichung zu.`
          : `Kategorie „${d.categoryName ?? 'ohne Kategorie'}“: veröffentlicht wird ${policyLabels[d.policy](d.delayMinutes)}.`}
      </p>
      {d.shown && (
        <p class="kern-body kern-body--small">
          Öffentlicher Stand: <strong>{publicStatusLabels[d.shown.status]}</strong>
          {d.shown.statusNote ? ` – „${d.shown.statusNote}“` : ''}
        </p>
      )}
      {!never && (
        <>
          <h3 class="kern-heading-small">Vorschau des öffentlichen Textes</h3>
          <p class="kern-body message-body" id="publication-preview">
            {d.preview}
          </p>
          <h3 class="kern-heading-small">Geschwärzt</h3>
          {d.masks.length === 0 ? (
            <p class="kern-body">Keine personenbezogenen Daten gefunden. Bitte lesen Sie den Text trotzdem durch.</p>
          ) : (
            <ul class="mask-list">
              {d.masks.map((m, i) => (
                <li key={`${m.start}-${m.end}`}>
                  <PanelForm p={p} path="oeffentlich-aufdecken" class="inline-form">
                    <input type="hidden" name="mask" value={String(i)} />
                    <span class="kern-body">
                      {maskKindLabels[m.kind]}: „{m.words}“ {m.unmasked ? '(bleibt sichtbar)' : ''}{' '}
                    </span>
                    {m.unmasked ? (
                      <Button variant="tertiary" name="unmasked" value="no">
                        Wieder schwärzen<span class="visually-hidden">: {m.words}</span>
                      </Button>
                    ) : (
                      <Button variant="tertiary" name="unmasked" value="yes">
                        Ist kein personenbezogenes Datum<span class="visually-hidden">: {m.words}</span>
                      </Button>
                    )}
                  </PanelForm>
                </li>
              ))}
            </ul>
          )}
          <PanelForm p={p} path="oeffentlich-schwaerzen">
            <TextField
              id={term.id}
              name="term"
              label="Weitere Stelle schwärzen"
              hint="Zum Beispiel einen Namen, den die automatische Suche nicht erkannt hat. Jede Stelle im Text wird geschwärzt."
              value={term.value ?? ''}
              error={term.error}
              maxLength={200}
            />
            <Button variant="secondary">Schwärzen</Button>
          </PanelForm>
          <PanelForm p={p} path="oeffentlich-text">
            <TextArea
              id={text.id}
              name="text"
              label="Öffentlicher Text (bearbeitbare Kopie)"
              hint="Die Meldung selbst bleibt unverändert. Personenbezogene Daten werden auch in Ihrem Text geschwärzt."
              value={text.value ?? d.sourceText}
              error={text.error}
              maxLength={PUBLIC_TEXT_MAX}
              rows={5}
            />
            <Button variant="secondary">Text speichern</Button>
          </PanelForm>
          {d.photos.length > 0 && (
            <>
              <h3 class="kern-heading-small">Fotos</h3>
              <ul class="photo-grid">
                {d.photos.map((ph, i) => (
                  <li key={ph.id}>
                    <img src={`/staff/faelle/${p.number}/fotos/${ph.id}/vorschau`} alt={`Foto ${i + 1}`} loading="lazy" />
                    <PanelForm p={p} path="oeffentlich-foto">
                      <input type="hidden" name="photo" value={String(ph.id)} />
                      <p class="kern-body kern-body--small">{ph.released ? 'Freigegeben' : 'Nicht freigegeben'}</p>
                      {ph.released ? (
                        <Button variant="tertiary" name="released" value="no">
                          Nicht freigeben<span class="visually-hidden">: Foto {i + 1}</span>
                        </Button>
                      ) : (
                        <Button variant="tertiary" name="released" value="yes">
                          Freigeben<span class="visually-hidden">: Foto {i + 1}</span>
                        </Button>
                      )}
                    </PanelForm>
                  </li>
                ))}
              </ul>
            </>
          )}
          <PanelForm p={p} path="oeffentlich-hinweis">
            <TextField
              id={note.id}
              name="note"
              label="Öffentlicher Hinweis zum Stand"
              hint="Zum Beispiel „Reparatur ist für nächste Woche bestellt“. Leer lassen entfernt den Hinweis."
              value={note.value ?? ''}
              error={note.error}
              maxLength={500}
            />
            <Button variant="secondary">Hinweis speichern</Button>
          </PanelForm>
          {d.state !== 'published' && (
            <PanelForm p={p} path="oeffentlich-veroeffentlichen">
              <Button>Veröffentlichen</Button>
            </PanelForm>
          )}
          {(d.state === 'pending' || d.state === 'withdrawn') && (
            <PanelForm p={p} path="oeffentlich-anhalten">
              <TextField
                id={withhold.id}
                name="reason"
                label="Grund (nur intern)"
                value={withhold.value ?? ''}
                error={withhold.error}
                maxLength={500}
              />
              <Button variant="secondary">Nicht veröffentlichen</Button>
            </PanelForm>
          )}
          {d.state === 'published' && (
            <PanelForm p={p} path="oeffentlich-zurueckziehen">
              <TextField
                id={withdraw.id}
                name="reason"
                label="Grund (nur intern)"
                value={withdraw.value ?? ''}
                error={withdraw.error}
                maxLength={500}
              />
              <Button variant="secondary">Zurückziehen</Button>
            </PanelForm>
          )}
        </>
      )}
    </section>
  );
}
