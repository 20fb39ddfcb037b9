import { Layout, type PageContext } from '../../../ui/layout.tsx';

export function AdminHomePage({ ctx, counts }: { ctx: PageContext; counts: { activeUsers: number; users: number; teams: number } }) {
  return (
    <Layout ctx={ctx} title="Verwaltung">
      <h1 class="kern-heading-large">Verwaltung</h1>
      <p class="kern-body kern-body--large">Wer arbeitet mit, und in welchen Teams? Hier legen Sie es fest.</p>
      <ul class="kern-list">
        <li>
          <a class="kern-link" href="/admin/benutzer">
            Zugänge
          </a>{' '}
          – {counts.activeUsers} aktiv von {counts.users}
        </li>
        <li>
          <a class="kern-link" href="/admin/teams">
            Teams
          </a>{' '}
          – {counts.teams} {counts.teams === 1 ? 'Team' : 'Teams'}
        </li>
        <li>
          <a class="kern-link" href="/admin/anmeldungen">
            Anmeldeschutz
          </a>{' '}
          – gebremste Anmeldungen nach Fehlversuchen ansehen und aufheben
        </li>
        <li>
          <a class="kern-link" href="/admin/regeln">
            Regeln
          </a>{' '}
          – wer welches Anliegen bekommt
        </li>
        <li>
          <a class="kern-link" href="/admin/klassifikator">
            Klassifikator
          </a>{' '}
          – was er aus der Geschichte der Stadt gelernt hat, und neu lernen lassen
        </li>
        <li>
          <a class="kern-link" href="/admin/fristen">
            Fristen
          </a>{' '}
          – wie schnell wir antworten, Öffnungszeiten und Teamleitung
        </li>
        <li>
          <a class="kern-link" href="/staff/textbausteine">
            Textbausteine
          </a>{' '}
          – Antworten für alle Teams, Signaturen und Verteilung reihum
        </li>
      </ul>
    </Layout>
  );
}
