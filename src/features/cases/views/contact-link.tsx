import { Button, CsrfField, TextField } from '../../../ui/forms.tsx';
import { type ContactPanelData, SEARCH_MAX } from '../contact-panel.ts';
import type { ContactSummary } from '../contact-queries.ts';
import { contactKindLabels } from '../labels.ts';

const casesText = (n: number) => (n === 1 ? '1 Anliegen' : `${n} Anliegen`);

/** One contact in a line: channel, address, name and how many cases came from it. */
function ContactLine({ c, id }: { c: ContactSummary; id: string }) {
  return (
    <span id={id}>
      {contactKindLabels[c.kind]}: <span class="message-body">{c.address}</span> · {c.displayName ?? 'ohne Namen'} ·{' '}
      {casesText(c.caseCount)}
      {c.undeliverableAt ? ' · nicht erreichbar' : ''}
    </span>
  );
}

/** The person's other contacts, each with "Verknüpfung lösen". */
export function LinkedContacts({ number, data, csrf }: { number: string; data: ContactPanelData; csrf: string | undefined }) {
  if (data.linked.length === 0) return null;
  return (
    <>
      <h3 class="kern-heading-small">Weitere Kontakte dieser Person</h3>
      <ul class="kern-list">
        {data.linked.map((c) => (
          <li key={c.id}>
            <ContactLine c={c} id={`linked-contact-${c.id}`} />
            <form method="post" action={`/staff/faelle/${number}/kontakt-loesen`} class="inline-form">
              <CsrfField token={csrf} />
              <input type="hidden" name="contact" value={String(c.id)} />
              <button type="submit" class="kern-btn kern-btn--tertiary" aria-describedby={`linked-contact-${c.id}`}>
                <span class="kern-label">Verknüpfung lösen</span>
              </button>
            </form>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * "Kontakt verknüpfen": a GET search (works without JavaScript, the text stays in the address
 * bar) and, beside each hit, a POST button that links it as the same person.
 */
export function ContactLinkForm({ number, data, csrf }: { number: string; data: ContactPanelData; csrf: string | undefined }) {
  const s = data.search;
  return (
    <>
      <h3 class="kern-heading-small" id="contact-link-title">
        Kontakt derselben Person zuordnen
      </h3>
      <form method="get" action={`/staff/faelle/${number}#contact-link-title`} class="form-stack">
        <TextField
          id="contact-search"
          name="kontakt"
          type="search"
          label="Kontakt suchen"
          hint="Eine Adresse genau (E-Mail, Telefonnummer, Handle …) oder der Anfang eines Namens."
          value={s?.text ?? ''}
          error={s?.error ?? undefined}
          maxLength={SEARCH_MAX}
        />
        <div>
          <Button variant="secondary">Suchen</Button>
        </div>
      </form>
      {s && !s.error && s.hits.length === 0 && (
        <p class="kern-body" role="status">
          Kein anderer Kontakt passt zu „{s.text}“.
        </p>
      )}
      {s && s.hits.length > 0 && (
        <ul class="kern-list" aria-label={`Treffer für „${s.text}“`}>
          {s.hits.map((h) => (
            <li key={h.id}>
              <ContactLine c={h} id={`contact-hit-${h.id}`} />
              {h.samePerson ? (
                <> · gehört schon zu dieser Person</>
              ) : (
                <form method="post" action={`/staff/faelle/${number}/kontakt-verknuepfen`} class="inline-form">
                  <CsrfField token={csrf} />
                  <input type="hidden" name="other" value={String(h.id)} />
                  <button type="submit" class="kern-btn kern-btn--secondary" aria-describedby={`contact-hit-${h.id}`}>
                    <span class="kern-label">Als dieselbe Person verknüpfen</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
