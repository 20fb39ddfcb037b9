import { Layout, type PageContext } from '../ui/layout.tsx';

const titles: Record<number, string> = {
  400: 'Da stimmt etwas mit der Anfrage nicht',
  401: 'Bitte melden Sie sich an',
  403: 'Kein Zugriff',
  404: 'Seite nicht gefunden',
  409: 'Da war jemand schneller',
  410: 'Nicht mehr veröffentlicht',
  413: 'Das war zu viel auf einmal',
  415: 'Dieses Format verstehen wir nicht',
  429: 'Einen Moment bitte',
  500: 'Hier ist etwas schiefgegangen',
  503: 'Gerade nicht erreichbar',
};

export function ErrorPage({ ctx, status, message }: { ctx: PageContext; status: number; message: string }) {
  const title = titles[status] ?? 'Hier ist etwas schiefgegangen';
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="kern-heading-large">{title}</h1>
      <p class="kern-body kern-body--large">{message}</p>
      <p class="kern-body">
        <a class="kern-link" href="/">
          Zur Startseite
        </a>
        {status === 404 && ' · Wenn Sie einen Link aus einer E-Mail geöffnet haben, prüfen Sie bitte, ob er vollständig ist.'}
      </p>
      <p class="kern-body kern-body--small kern-body--muted">Fehlercode {status}</p>
    </Layout>
  );
}
