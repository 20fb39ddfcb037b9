import type { calendarSources, councilMeetings, councilPapers, councilSources } from '../../../infra/schema/index.ts';
import { Alert, Button, CsrfField, FileField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { localInput } from '../calendar/period.ts';

type Source = typeof calendarSources.$inferSelect;

export function CalendarSourcesPage(p: { ctx: PageContext; sources: Source[]; notice?: string | undefined; error?: string | undefined }) {
  return (
    <Layout ctx={p.ctx} title="Terminkalender">
      <h1 class="kern-heading-large">Terminkalender</h1>
      <p class="kern-body">
        Aus jedem Termin wird eine Idee im{' '}
        <a class="kern-link" href="/redaktion/kalender">
          Redaktionskalender
        </a>{' '}
        (die nächsten 60 Tage).
      </p>
      {p.notice && <Alert kind="success" title={p.notice} />}
      {p.error && <Alert kind="danger" title={p.error} />}
      {p.sources.length === 0 ? (
        <p class="kern-body">Noch kein Terminkalender.</p>
      ) : (
        <ul class="kern-list">
          {p.sources.map((s) => (
            <li>
              <strong>{s.name}</strong> {s.url ? `(${s.url})` : '(hochgeladene Datei)'}
              {s.lastPolledAt && (
                <span class="kern-body kern-body--small"> · zuletzt gelesen {localInput(s.lastPolledAt).replace('T', ' ')}</span>
              )}
              {s.lastError && <span class="kern-body kern-body--small"> · Fehler: {s.lastError}</span>}
            </li>
          ))}
        </ul>
      )}
      <h2 class="kern-heading-medium">Kalenderdatei hochladen</h2>
      <form method="post" action="/redaktion/kalender/quellen/datei" enctype="multipart/form-data" class="form-stack" novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <TextField name="name" label="Name" hint="z. B. „Termine der Bürgermeisterin“" maxLength={200} />
        <FileField name="file" label="iCalendar-Datei (.ics)" accept=".ics,text/calendar" />
        <Button>Hochladen</Button>
      </form>
      <h2 class="kern-heading-medium">Kalender-Adresse abonnieren</h2>
      <form method="post" action="/redaktion/kalender/quellen" class="form-stack" novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <TextField name="name" label="Name" maxLength={200} />
        <TextField name="url" label="Adresse (https://…)" type="url" maxLength={2000} />
        <Button>Abonnieren</Button>
      </form>
    </Layout>
  );
}

export function CouncilPage(p: {
  ctx: PageContext;
  source: typeof councilSources.$inferSelect | undefined;
  papers: (typeof councilPapers.$inferSelect)[];
  meetings: (typeof councilMeetings.$inferSelect)[];
  notice?: string | undefined;
}) {
  return (
    <Layout ctx={p.ctx} title="Ratsdokumente">
      <h1 class="kern-heading-large">Ratsdokumente</h1>
      <p class="kern-body">
        Vorlagen und Sitzungen aus dem Ratsinformationssystem (OParl). Erklären Sie eine Vorlage so, dass sie jede und jeder versteht.
      </p>
      {p.notice && <Alert kind="success" title={p.notice} />}
      {p.source?.lastError && (
        <Alert
          kind="warning"
          title={`Der letzte Abruf ist nicht fertig geworden: ${p.source.lastError} Der nächste Abruf macht dort weiter.`}
        />
      )}
      <form method="post" action="/redaktion/ratsdokumente/quelle" class="form-stack" novalidate>
        <CsrfField token={p.ctx.csrfToken} />
        <TextField name="url" label="Adresse des OParl-Systems" type="url" value={p.source?.systemUrl} maxLength={2000} />
        <Button>Speichern und abrufen</Button>
      </form>
      <h2 class="kern-heading-medium">Vorlagen ({p.papers.length})</h2>
      <ul class="kern-list">
        {p.papers.map((paper) => (
          <li>
            <strong>
              {paper.reference ? `${paper.reference}: ` : ''}
              {paper.name}
            </strong>
            {paper.paperType && <span class="kern-body kern-body--small"> · {paper.paperType}</span>}
            {paper.date && <span class="kern-body kern-body--small"> · {paper.date}</span>}
            {paper.postId ? (
              <span class="kern-body kern-body--small"> · Beitrag angelegt</span>
            ) : (
              <form method="post" action={`/redaktion/ratsdokumente/${paper.id}/erklaeren`} class="inline-form">
                <CsrfField token={p.ctx.csrfToken} />
                <button type="submit" class="kern-btn kern-btn--tertiary">
                  <span class="kern-label">„Vorlage erklärt“ schreiben</span>
                </button>
              </form>
            )}
          </li>
        ))}
      </ul>
      <h2 class="kern-heading-medium">Sitzungen ({p.meetings.length})</h2>
      <ul class="kern-list">
        {p.meetings.map((m) => (
          <li>
            {m.startsAt ? localInput(m.startsAt).replace('T', ' ') : 'ohne Termin'} · {m.name}
            {m.place ? ` · ${m.place}` : ''}
            {m.cancelled ? ' · abgesagt' : ''}
          </li>
        ))}
      </ul>
    </Layout>
  );
}
