import { Alert } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';

export function AdminHomePage({
  ctx,
  counts,
  proxyWithoutTrust = false,
}: {
  ctx: PageContext;
  counts: { activeUsers: number; users: number; teams: number };
  /** Requests carry forwarding headers (X-Forwarded-For …) while TRUST_PROXY is off. */
  proxyWithoutTrust?: boolean;
}) {
  return (
    <Layout ctx={ctx} title="Verwaltung">
      <h1 class="kern-heading-large">Verwaltung</h1>
      {proxyWithoutTrust && (
        <Alert kind="warning" title="Anfragen kommen über einen Proxy, aber TRUST_PROXY ist aus">
          <p class="kern-body">
            Der Server sieht darum alle Bürgerinnen und Bürger unter einer Adresse, der des Proxys: Sie teilen sich ein Limit für Meldungen
            und für Anmeldeversuche, und wenige Meldungen einer Person können alle anderen sperren.
          </p>
          <p class="kern-body">
            Wenn der Proxy (z. B. nginx, Caddy oder Traefik) Ihr eigener ist und der Server nur über ihn erreichbar ist, setzen Sie in der
            Konfiguration <code>TRUST_PROXY=true</code> und starten Sie den Server neu. Ist der Server auch direkt erreichbar, sperren Sie
            diesen Weg zuerst – sonst könnte jemand seine Adresse frei angeben.
          </p>
        </Alert>
      )}
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
          <a class="kern-link" href="/admin/kategorien">
            Kategorien
          </a>{' '}
          – was öffentlich wird: automatisch, nach Freigabe oder nie
        </li>
        <li>
          <a class="kern-link" href="/admin/kanaele">
            Kanäle
          </a>{' '}
          – Postfächer, aus denen Anliegen kommen und über die geantwortet wird
        </li>
        <li>
          <a class="kern-link" href="/admin/anmeldungen">
            Anmeldeschutz
          </a>{' '}
          – gebremste Anmeldungen nach Fehlversuchen ansehen und aufheben
        </li>
        <li>
          <a class="kern-link" href="/admin/schnittstellen">
            Schnittstellen
          </a>{' '}
          – Schlüssel für Apps, die über Open311 melden
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
