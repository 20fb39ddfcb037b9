import type { ComponentChildren } from 'preact';

export interface PageContext {
  townName: string;
  /** Signed-in staff member, if any: switches the header to the staff navigation. */
  user?: { displayName: string; role: 'admin' | 'staff' } | null;
  csrfToken?: string;
  /** A warning a feature raises on every admin page (e.g. a mailbox that keeps failing), with a link to fix it. */
  banner?: PageBanner | null;
  /** How many mails wait in "Nicht zugeordnet" (counted up to 100), shown in the staff navigation. */
  heldCount?: number | null;
}

export interface PageBanner {
  title: string;
  href: string;
  linkText: string;
}

interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
  /** Extra tags for <head>, e.g. the Leaflet stylesheet on pages with a map. */
  head?: ComponentChildren;
  scripts?: string[];
  /** Staff work pages that need the whole screen (the Amtsblatt desk: editor beside its previews). */
  wide?: boolean;
}

export function Layout({ ctx, title, children, head, scripts = [], wide = false }: LayoutProps) {
  const fullTitle = `${title} – ${ctx.townName}`;
  return (
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href="/assets/kern/kern.min.css" />
        <link rel="stylesheet" href="/assets/kern/fonts/fira-sans.css" />
        <link rel="stylesheet" href="/assets/app.css" />
        {head}
      </head>
      <body>
        <a class="skip-link" href="#inhalt">
          Zum Inhalt springen
        </a>
        <div class="kern-kopfzeile">
          <div class="kern-container">
            <div class="kern-kopfzeile__content">
              <span class="kern-kopfzeile__flagge" aria-hidden="true" />
              <span class="kern-kopfzeile__label">Offizielle Website der Stadt {ctx.townName}</span>
            </div>
          </div>
        </div>
        <header class="site-header">
          <div class="kern-container site-header__inner">
            <a class="site-brand" href={ctx.user ? '/staff' : '/'}>
              {ctx.townName} <span class="site-brand__sub">Amtsblatt 2.0</span>
            </a>
            <nav aria-label="Hauptnavigation">
              <ul class="site-nav">{ctx.user ? <StaffNav ctx={ctx} /> : <PublicNav />}</ul>
            </nav>
          </div>
        </header>
        <main id="inhalt" class={`kern-container site-main${wide ? ' site-main--wide' : ''}`} tabIndex={-1}>
          {ctx.banner && (
            <div class="kern-alert kern-alert--warning" role="status">
              <div class="kern-alert__header">
                <span class="kern-icon kern-icon--warning" aria-hidden="true" />
                <span class="kern-title">{ctx.banner.title}</span>
              </div>
              <div class="kern-alert__body">
                <a class="kern-link" href={ctx.banner.href}>
                  {ctx.banner.linkText}
                </a>
              </div>
            </div>
          )}
          {children}
        </main>
        <footer class="site-footer">
          <div class="kern-container">
            <ul class="site-nav">
              <li>
                <a class="kern-link" href="/datenschutz">
                  Datenschutz
                </a>
              </li>
              <li>
                <a class="kern-link" href="/barrierefreiheit">
                  Barrierefreiheit
                </a>
              </li>
              <li>
                <a class="kern-link" href="/impressum">
                  Impressum
                </a>
              </li>
            </ul>
          </div>
        </footer>
        {scripts.map((src) => (
          <script type="module" src={src} key={src} />
        ))}
      </body>
    </html>
  );
}

function PublicNav() {
  return (
    <>
      <li>
        <a class="kern-link" href="/amtsblatt">
          Amtsblatt
        </a>
      </li>
      <li>
        <a class="kern-link" href="/meldungen">
          Meldungen
        </a>
      </li>
      <li>
        <a class="kern-link" href="/melden">
          Anliegen melden
        </a>
      </li>
      <li>
        <a class="kern-link" href="/statistik">
          Statistik
        </a>
      </li>
      <li>
        <a class="kern-link" href="/anmelden">
          Für Mitarbeitende
        </a>
      </li>
    </>
  );
}

function StaffNav({ ctx }: { ctx: PageContext }) {
  return (
    <>
      <li>
        <a class="kern-link" href="/staff">
          Posteingang
        </a>
      </li>
      <li>
        <a class="kern-link" href="/erfassen">
          Anliegen erfassen
        </a>
      </li>
      <li>
        <a class="kern-link" href="/staff/nicht-zugeordnet">
          Nicht zugeordnet
          {ctx.heldCount ? (
            <span class="kern-badge kern-badge--warning nav-count">
              <span class="kern-label">
                {ctx.heldCount >= 100 ? '99+' : ctx.heldCount}
                <span class="kern-sr-only"> warten</span>
              </span>
            </span>
          ) : null}
        </a>
      </li>
      <li>
        <a class="kern-link" href="/staff/outbox">
          Postausgang
        </a>
      </li>
      <li>
        <a class="kern-link" href="/redaktion">
          Amtsblatt
        </a>
      </li>
      {ctx.user?.role === 'admin' && (
        <li>
          <a class="kern-link" href="/admin">
            Verwaltung
          </a>
        </li>
      )}
      <li>
        <form method="post" action="/abmelden" class="inline-form">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">
            <span class="kern-label">Abmelden ({ctx.user?.displayName})</span>
          </button>
        </form>
      </li>
    </>
  );
}
