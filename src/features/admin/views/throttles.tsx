import { BackLink } from '../../../ui/back-link.tsx';
import { Button, CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { ThrottleRow } from '../../auth/throttle-queries.ts';
import { formatDateTime, Notice, type NoticeKey } from './common.tsx';

const scopeLabels = {
  pair: 'Zugang von einer Adresse',
  account: 'Zugang von allen Adressen',
  address: 'Alle Zugänge von einer Adresse',
} as const;

/** Known accounts by name; unknown e-mails and client addresses are stored only as hashes. */
function whoOf(row: ThrottleRow): string {
  if (row.scope === 'address') return 'unbekannte Adresse (Netzadresse)';
  return row.displayName ?? 'unbekannte E-Mail-Adresse';
}

export function ThrottlesPage({
  ctx,
  rows,
  now,
  notice,
}: {
  ctx: PageContext;
  rows: ThrottleRow[];
  now: Date;
  notice?: NoticeKey | undefined;
}) {
  return (
    <Layout ctx={ctx} title="Anmeldeschutz">
      <BackLink href="/admin">Verwaltung</BackLink>
      <h1 class="kern-heading-large">Anmeldeschutz</h1>
      <Notice notice={notice} />
      <p class="kern-body">
        Nach mehreren falschen Passwörtern prüfen wir weitere Anmeldeversuche nur noch mit wachsenden Pausen: für einen Zugang von einer
        Adresse, für alle Zugänge von einer Adresse und – höchstens eine Minute – für einen Zugang von überall. Gesperrt wird niemand
        dauerhaft; am eigenen Gerät meldet sich die Person wie gewohnt an. E-Mail- und Netzadressen speichern wir dafür nur unkenntlich
        gemacht; nach einem Tag ohne Fehlversuch sind die Zähler vergessen.
      </p>
      {rows.length === 0 ? (
        <p class="kern-body">Zurzeit wird keine Anmeldung gebremst.</p>
      ) : (
        <div class="kern-table-responsive">
          <table class="kern-table kern-table--striped">
            <caption class="kern-title">Gebremste Anmeldungen ({rows.length})</caption>
            <thead class="kern-table__header">
              <tr class="kern-table__row">
                <th scope="col">Wer</th>
                <th scope="col">Zähler</th>
                <th scope="col">Fehlversuche</th>
                <th scope="col">Erster und letzter Fehlversuch</th>
                <th scope="col">Wartezeit</th>
                <th scope="col">Aktion</th>
              </tr>
            </thead>
            <tbody class="kern-table__body">
              {rows.map((row) => (
                <tr class="kern-table__row" key={row.id}>
                  <th scope="row" class="kern-table__cell">
                    {row.userId && row.displayName ? (
                      <a class="kern-link" href={`/admin/benutzer/${row.userId}`}>
                        {row.displayName}
                      </a>
                    ) : (
                      whoOf(row)
                    )}
                  </th>
                  <td class="kern-table__cell">{scopeLabels[row.scope]}</td>
                  <td class="kern-table__cell">{row.failures}</td>
                  <td class="kern-table__cell">
                    {formatDateTime(row.firstFailureAt)} – {formatDateTime(row.lastFailureAt)}
                  </td>
                  <td class="kern-table__cell">
                    {row.blockedUntil > now
                      ? `bis ${formatDateTime(row.blockedUntil)}`
                      : 'abgelaufen; der nächste Fehlversuch wartet wieder'}
                  </td>
                  <td class="kern-table__cell">
                    <form method="post" action={`/admin/anmeldungen/${row.id}/aufheben`}>
                      <CsrfField token={ctx.csrfToken} />
                      <Button variant="secondary">
                        Sperre aufheben
                        <span class="visually-hidden">
                          {' '}
                          ({whoOf(row)}, {scopeLabels[row.scope]})
                        </span>
                      </Button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
}
