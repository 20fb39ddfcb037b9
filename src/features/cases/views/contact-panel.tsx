import { Alert } from '../../../ui/forms.tsx';
import type { ContactPanelData } from '../contact-panel.ts';
import type { PersonCase } from '../contact-queries.ts';
import { caseStatusLabels, contactKindLabels } from '../labels.ts';
import type { CaseDetail } from '../queries.ts';
import { formatDate } from '../time.ts';
import { ContactLinkForm, LinkedContacts } from './contact-link.tsx';
import { Fact } from './fact.tsx';

/** How the person is part of another case, when not as its reporter. */
const roleNotes: Record<PersonCase['role'], string> = { reporter: '', follower: ' · folgt', merged: ' · als Duplikat übernommen' };

/** Kontakt: who wrote, how to reach them, whether that works, and what else they asked us. */
export function ContactPanel({ k, data, csrf }: { k: CaseDetail; data: ContactPanelData; csrf: string | undefined }) {
  const c = data.contact;
  return (
    <section aria-labelledby="contact-title">
      <h2 id="contact-title" class="kern-heading-medium">
        Kontakt
      </h2>
      {c?.undeliverableAt && (
        <Alert kind="warning" title="Diese Adresse ist nicht erreichbar">
          <p class="kern-body">
            Seit dem {formatDate(c.undeliverableAt)} kommt nicht an, was wir an {c.address} schicken
            {c.undeliverableReason ? ` (${c.undeliverableReason})` : ''}. Antworten auf diesem Weg erreichen die Person nicht: Bitte nehmen
            Sie anders Kontakt auf, etwa per Telefon oder Brief.
          </p>
        </Alert>
      )}
      <dl class="kern-description-list">
        <Fact label="Name">{c?.displayName ?? k.reporterName ?? 'ohne Namen'}</Fact>
        {c ? (
          <Fact label={contactKindLabels[c.kind]}>
            <ContactAddress kind={c.kind} address={c.address} />
          </Fact>
        ) : (
          <Fact label="E-Mail">{k.reporterEmail ? <ContactAddress kind="email" address={k.reporterEmail} /> : 'keine angegeben'}</Fact>
        )}
        {data.callbackRequested && (
          <Fact label="Rückruf erwünscht">
            {data.callbackPhone ? (
              <ContactAddress kind="phone" address={data.callbackPhone} />
            ) : (
              'ja, aber es ist keine Telefonnummer gespeichert'
            )}
          </Fact>
        )}
      </dl>
      <LinkedContacts number={k.number} data={data} csrf={csrf} />
      {data.otherCases.length > 0 && (
        <>
          <h3 class="kern-heading-small">Weitere Anliegen dieser Person</h3>
          <ul class="kern-list">
            {data.otherCases.map((o) => (
              <li key={o.number}>
                <a class="kern-link" href={`/staff/faelle/${o.number}`}>
                  {o.number}
                </a>{' '}
                · {caseStatusLabels[o.status]} · <time dateTime={o.createdAt.toISOString()}>{formatDate(o.createdAt)}</time>
                {roleNotes[o.role]}
              </li>
            ))}
          </ul>
        </>
      )}
      {c && <ContactLinkForm number={k.number} data={data} csrf={csrf} />}
    </section>
  );
}

function ContactAddress({ kind, address }: { kind: NonNullable<ContactPanelData['contact']>['kind']; address: string }) {
  if (kind === 'email') {
    return (
      <a class="kern-link" href={`mailto:${address}`}>
        {address}
      </a>
    );
  }
  if (kind === 'phone') {
    return (
      <a class="kern-link" href={`tel:${address}`}>
        {address}
      </a>
    );
  }
  return <span class="message-body">{address}</span>;
}
