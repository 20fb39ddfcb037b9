import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { outboxStatusLabels } from '../../cases/labels.ts';
import { formatDateTime } from '../../cases/time.ts';
import type { OutboxListRow, OutboxMailDetail } from '../outbox-queries.ts';

/** Postausgang: every mail the platform sent or will send; a demo without SMTP shows its mails here. */
export function OutboxPage({
  ctx,
  rows,
  nextBefore,
  mode,
}: {
  ctx: PageContext;
  rows: OutboxListRow[];
  nextBefore: number | null;
  mode: 'smtp' | 'file';
}) {
  return (
    <Layout ctx={ctx} title="Postausgang">
      <h1 class="kern-heading-large">Postausgang</h1>
      <p class="kern-body">
        {mode === 'smtp'
          ? 'Alle Mails an Bürgerinnen und Bürger, neueste zuerst. Sie gehen über den eingerichteten Mailserver hinaus.'
          : 'Es ist kein Mailserver eingerichtet: Mails werden nur gespeichert und hier angezeigt, nicht verschickt.'}
      </p>
      {rows.length === 0 ? (
        <p class="kern-body">Noch keine Mails. Sobald jemand ein Anliegen mit E-Mail-Adresse meldet, steht hier die Bestätigung.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--small kern-table--striped">
            <caption class="kern-sr-only">Ausgehende Mails, neueste zuerst</caption>
            <thead>
              <tr class="kern-table__row">
                {['Zeit', 'An', 'Betreff', 'Status', 'Versuche', 'Letzter Fehler', 'Anliegen'].map((h) => (
                  <th scope="col" class="kern-table__header" key={h}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((m) => (
                <tr class="kern-table__row" key={m.id}>
                  <td class="kern-table__cell">
                    <time dateTime={m.createdAt.toISOString()}>{formatDateTime(m.createdAt)}</time>
                  </td>
                  <td class="kern-table__cell">{m.toAddress}</td>
                  <th scope="row" class="kern-table__header">
                    <a class="kern-link" href={`/staff/outbox/${m.id}`}>
                      {m.subject}
                    </a>
                  </th>
                  <td class="kern-table__cell">{outboxStatusLabels[m.status]}</td>
                  <td class="kern-table__cell kern-table__cell--numeric">{m.attempts}</td>
                  <td class="kern-table__cell">{m.lastError ?? '–'}</td>
                  <td class="kern-table__cell">
                    {m.caseNumber ? (
                      <a class="kern-link" href={`/staff/faelle/${m.caseNumber}`}>
                        {m.caseNumber}
                      </a>
                    ) : (
                      '–'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextBefore && (
        <nav aria-label="Seiten">
          <ul class="pagination">
            <li>
              <a class="kern-link" href="/staff/outbox">
                ← Neueste
              </a>
            </li>
            <li>
              <a class="kern-link" href={`/staff/outbox?nach=${nextBefore}`} rel="next">
                Ältere →
              </a>
            </li>
          </ul>
        </nav>
      )}
    </Layout>
  );
}

export function OutboxMailPage({ ctx, mail, from }: { ctx: PageContext; mail: OutboxMailDetail; from: string }) {
  const header = (name: string, value: string | null | undefined) =>
    value ? (
      <div class="kern-description-list-item" key={name}>
        <dt class="kern-description-list-item__key">{name}</dt>
        <dd class="kern-description-list-item__value">
          <code class="code">{value}</code>
        </dd>
      </div>
    ) : null;
  return (
    <Layout ctx={ctx} title={`Mail: ${mail.subject}`}>
      <p class="kern-body">
        <a class="kern-link" href="/staff/outbox">
          ← Zum Postausgang
        </a>
      </p>
      <h1 class="kern-heading-large">{mail.subject}</h1>
      <section aria-labelledby="mail-state">
        <h2 id="mail-state" class="kern-heading-medium">
          Versand
        </h2>
        <dl class="kern-description-list">
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Status</dt>
            <dd class="kern-description-list-item__value">{outboxStatusLabels[mail.status]}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Versuche</dt>
            <dd class="kern-description-list-item__value">{mail.attempts}</dd>
          </div>
          <div class="kern-description-list-item">
            <dt class="kern-description-list-item__key">Erstellt</dt>
            <dd class="kern-description-list-item__value">
              <time dateTime={mail.createdAt.toISOString()}>{formatDateTime(mail.createdAt)}</time>
            </dd>
          </div>
          {mail.sentAt && (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">Versendet</dt>
              <dd class="kern-description-list-item__value">
                <time dateTime={mail.sentAt.toISOString()}>{formatDateTime(mail.sentAt)}</time>
              </dd>
            </div>
          )}
          {mail.lastError && (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">Letzter Fehler</dt>
              <dd class="kern-description-list-item__value">{mail.lastError}</dd>
            </div>
          )}
          {mail.caseNumber && (
            <div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">Anliegen</dt>
              <dd class="kern-description-list-item__value">
                <a class="kern-link" href={`/staff/faelle/${mail.caseNumber}`}>
                  {mail.caseNumber}
                </a>
              </dd>
            </div>
          )}
        </dl>
      </section>
      <section aria-labelledby="mail-headers">
        <h2 id="mail-headers" class="kern-heading-medium">
          Kopfzeilen
        </h2>
        <dl class="kern-description-list">
          {header('From', from)}
          {header('To', mail.toAddress)}
          {header('Subject', mail.subject)}
          {header('Message-ID', mail.messageId)}
          {header('In-Reply-To', mail.inReplyTo)}
          {header('References', mail.references.join(' '))}
        </dl>
      </section>
      <section aria-labelledby="mail-text">
        <h2 id="mail-text" class="kern-heading-medium">
          Text
        </h2>
        <p class="kern-body message-body">{mail.text}</p>
      </section>
    </Layout>
  );
}
