import type { Option } from '../../../ui/forms.tsx';
import { Alert, Button, ErrorSummary, SelectField, TextField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { DueCell } from '../../sla/views/due.tsx';
import type { InboxContact } from '../inbox-contacts.ts';
import { COUNT_CAP, filterQuery, type InboxFilters, SEARCH_MAX, TAG_MAX } from '../inbox-filters.ts';
import type { InboxPage, InboxRow } from '../inbox-query.ts';
import { caseStatusLabels, caseTypeLabels, channelLabels, contactKindLabels } from '../labels.ts';
import { markHits, searchWords } from '../search-words.ts';
import { formatDateTime, relativeAge } from '../time.ts';
import { BulkForm, InboxTeamwork, inboxScripts, SelectCell } from './inbox-together.tsx';

export interface InboxOptions {
  teams: { id: number; name: string }[];
  /** For the bulk action "zuweisen an …". */
  assignees?: { id: number; displayName: string }[];
  categories: { id: number; name: string; groupName: string }[];
}

const filterLabels: Record<string, string> = {
  status: 'Status',
  art: 'Art',
  team: 'Team',
  kategorie: 'Kategorie',
  kanal: 'Kanal',
  zuweisung: 'Zuweisung',
  q: 'Suche',
  schlagwort: 'Mit Schlagwort',
  sortierung: 'Sortierung',
  ansicht: 'Ansicht',
  nach: 'Blättern',
  vor: 'Blättern',
};

const options = (labels: Record<string, string>): Option[] => Object.entries(labels).map(([value, label]) => ({ value, label }));

export function InboxView(props: {
  ctx: PageContext;
  filters: InboxFilters;
  errors: Record<string, string>;
  page: InboxPage | null;
  /** Contacts matching the search text by name or address, shown above the cases. */
  contacts?: InboxContact[];
  options: InboxOptions;
  now: Date;
  ok?: string | undefined;
  /** After a hand-off: the case and the team it went to. */
  moved?: { number: string; toTeamName: string | null } | null;
}) {
  const { filters: f, page } = props;
  return (
    <Layout ctx={props.ctx} title="Posteingang" head={<script src="/assets/htmx/htmx.min.js" defer />} scripts={inboxScripts}>
      <h1 class="kern-heading-large">Posteingang</h1>
      <InboxTeamwork csrf={props.ctx.csrfToken} ok={props.ok} />
      {props.ok === 'verschoben' && (
        <Alert kind="success" title="Gespeichert">
          {props.moved ? (
            <p class="kern-body">
              Das Anliegen{' '}
              <a class="kern-link" href={`/staff/faelle/${props.moved.number}`}>
                {props.moved.number}
              </a>{' '}
              liegt jetzt {props.moved.toTeamName === null ? 'in der Sichtung (ohne Team)' : `beim Team „${props.moved.toTeamName}“`}. Sie
              können es weiterhin lesen, auch unter „
              <a class="kern-link" href="/staff?ansicht=weitergeleitet">
                Von uns weitergeleitet
              </a>
              “.
            </p>
          ) : (
            <p class="kern-body">Das Anliegen liegt jetzt bei einem anderen Team.</p>
          )}
        </Alert>
      )}
      <ErrorSummary errors={props.errors} labels={filterLabels} />
      {/* A plain GET form: bookmarkable and works without JavaScript; htmx only swaps the results in place. */}
      <form
        method="get"
        action="/staff"
        class="form-stack"
        hx-get="/staff"
        hx-target="#inbox-results"
        hx-select="#inbox-results"
        hx-swap="outerHTML"
        hx-push-url="true"
      >
        <h2 class="kern-heading-small">Filter</h2>
        <div class="filters">
          <SelectField
            name="status"
            label="Status"
            value={f.status}
            error={props.errors.status}
            options={[
              { value: 'offen', label: 'offen (neu, in Bearbeitung, wartet)' },
              { value: 'alle', label: 'alle' },
              ...options(caseStatusLabels),
            ]}
          />
          <SelectField name="art" label="Art" value={f.art} error={props.errors.art} emptyLabel="alle" options={options(caseTypeLabels)} />
          <SelectField
            name="team"
            label="Team"
            value={f.team}
            error={props.errors.team}
            emptyLabel="alle"
            options={[
              { value: 'ohne', label: 'ohne Team (Sichtung)' },
              ...props.options.teams.map((t) => ({ value: String(t.id), label: t.name })),
            ]}
          />
          <SelectField
            name="kategorie"
            label="Kategorie"
            value={f.kategorie}
            error={props.errors.kategorie}
            emptyLabel="alle"
            options={[
              { value: 'ohne', label: 'ohne Kategorie' },
              ...props.options.categories.map((c) => ({ value: String(c.id), label: c.name, group: c.groupName })),
            ]}
          />
          <SelectField
            name="kanal"
            label="Kanal"
            value={f.kanal}
            error={props.errors.kanal}
            emptyLabel="alle"
            options={options(channelLabels)}
          />
          <SelectField
            name="zuweisung"
            label="Zuweisung"
            value={f.zuweisung}
            error={props.errors.zuweisung}
            emptyLabel="alle"
            options={[
              { value: 'mir', label: 'mir zugewiesen' },
              { value: 'niemand', label: 'nicht zugewiesen' },
            ]}
          />
          <SelectField
            name="ansicht"
            label="Ansicht"
            value={f.ansicht}
            error={props.errors.ansicht}
            emptyLabel="Anliegen unserer Teams"
            options={[{ value: 'weitergeleitet', label: 'Von uns weitergeleitet (nur lesen)' }]}
          />
          <SelectField
            name="sortierung"
            label="Sortierung"
            value={f.sortierung}
            error={props.errors.sortierung}
            options={[
              { value: 'neueste', label: 'neueste zuerst' },
              { value: 'faelligkeit', label: 'nach Fälligkeit (früheste Frist zuerst)' },
            ]}
          />
        </div>
        <TextField
          name="q"
          type="search"
          label="Suche"
          hint="Wörter aus Beschreibung und Ort (auch Wortteile: „laterne“ findet „Straßenlaterne“), ein Name oder eine Adresse, oder eine Vorgangsnummer wie 2026-00042"
          value={f.q}
          maxLength={SEARCH_MAX}
          error={props.errors.q}
        />
        <TextField
          name="schlagwort"
          label="Mit Schlagwort"
          hint="Genau ein Schlagwort, z. B. Winterdienst"
          value={f.schlagwort}
          maxLength={TAG_MAX}
          error={props.errors.schlagwort}
        />
        <div class="filters">
          <Button>Filtern</Button>
          <a class="kern-link" href="/staff">
            Filter zurücksetzen
          </a>
        </div>
      </form>
      <section id="inbox-results" aria-labelledby="inbox-results-title">
        {props.contacts && props.contacts.length > 0 && <ContactHits contacts={props.contacts} q={f.q ?? ''} />}
        {page ? (
          <Results page={page} filters={f} now={props.now} csrf={props.ctx.csrfToken} assignees={props.options.assignees ?? []} />
        ) : (
          <h2 id="inbox-results-title" class="kern-heading-small">
            Keine Ergebnisse
          </h2>
        )}
      </section>
    </Layout>
  );
}

function Results({
  page,
  filters,
  now,
  csrf,
  assignees,
}: {
  page: InboxPage;
  filters: InboxFilters;
  now: Date;
  csrf: string | undefined;
  assignees: { id: number; displayName: string }[];
}) {
  const total = page.total.capped
    ? `mehr als ${COUNT_CAP.toLocaleString('de-DE')} Anliegen`
    : `${page.total.count.toLocaleString('de-DE')} Anliegen`;
  return (
    <>
      <h2 id="inbox-results-title" class="kern-heading-small">
        {total}
      </h2>
      {page.rows.length === 0 ? (
        <p class="kern-body">Hier ist gerade nichts zu tun. Schön! Oder die Filter sind zu eng.</p>
      ) : (
        <div class="kern-table-responsive">
          <BulkForm csrf={csrf} assignees={assignees} />
          <table class="kern-table kern-table--small kern-table--striped">
            <caption class="kern-sr-only">
              {filters.sortierung === 'faelligkeit' ? 'Anliegen, früheste Frist zuerst' : 'Anliegen, neueste zuerst'}
            </caption>
            <thead>
              <tr class="kern-table__row">
                {['Auswahl', 'Nummer', 'Worum es geht', 'Art', 'Kategorie', 'Team', 'Status', 'Fällig', 'Kanal', 'Alter', 'Zuständig'].map(
                  (h) => (
                    <th scope="col" class="kern-table__header" key={h}>
                      {h}
                    </th>
                  ),
                )}
              </tr>
            </thead>
            <tbody class="kern-table__body" data-live-rows>
              {page.rows.map((r) => (
                <InboxRowView r={r} filters={filters} now={now} key={r.id} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {(page.prev || page.next) && (
        <nav aria-label="Seiten">
          <ul class="pagination">
            {page.prev && (
              <li>
                <a class="kern-link" href={`/staff${filterQuery(filters, { vor: page.prev })}`} rel="prev">
                  ← Zurück
                </a>
              </li>
            )}
            {page.next && (
              <li>
                <a class="kern-link" href={`/staff${filterQuery(filters, { nach: page.next })}`} rel="next">
                  Weiter →
                </a>
              </li>
            )}
          </ul>
        </nav>
      )}
    </>
  );
}

/** Text with the searched words in <mark>; every part is a text node, so the page escapes it as usual. */
function Marked({ text, words }: { text: string; words: string[] }) {
  return <>{markHits(text, words).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}

function ContactHits({ contacts, q }: { contacts: InboxContact[]; q: string }) {
  const typed = [q.trim()];
  return (
    <>
      <h2 class="kern-heading-small" id="inbox-contacts-title">
        Passende Kontakte
      </h2>
      <ul class="kern-list" aria-labelledby="inbox-contacts-title">
        {contacts.map(({ contact: c, cases }) => (
          <li key={c.id}>
            {contactKindLabels[c.kind]}:{' '}
            <span class="message-body">
              <Marked text={c.address} words={typed} />
            </span>{' '}
            · {c.displayName ? <Marked text={c.displayName} words={typed} /> : 'ohne Namen'} · Anliegen:{' '}
            {cases.map((k, i) => (
              <span key={k.number}>
                {i > 0 && ', '}
                <a class="kern-link" href={`/staff/faelle/${k.number}`}>
                  {k.number}
                </a>
              </span>
            ))}
          </li>
        ))}
      </ul>
    </>
  );
}

/** One row of the inbox; also sent alone to the live inbox when a case arrives (GET /staff/faelle/:number/zeile). */
export function InboxRowView({ r, filters, now }: { r: InboxRow; filters: InboxFilters; now: Date }) {
  const words = searchWords(filters.q);
  const placeHit = words.length > 0 && r.locationText !== null && markHits(r.locationText, words).some((p) => p.hit);
  return (
    <tr class="kern-table__row" data-case={r.number}>
      <SelectCell id={r.id} version={r.version} number={r.number} />
      <th scope="row" class="kern-table__header">
        <a class="kern-link" href={`/staff/faelle/${r.number}`}>
          {r.number}
        </a>
      </th>
      <td class="kern-table__cell">
        <Marked text={r.excerpt} words={words} />
        {placeHit && r.locationText !== null && (
          <>
            <br />
            Ort: <Marked text={r.locationText} words={words} />
          </>
        )}
        {r.tags.length > 0 && (
          <ul class="tag-list" aria-label="Schlagwörter">
            {r.tags.map((tag) => (
              <li key={tag}>
                <a class="kern-link" href={`/staff${filterQuery({ status: filters.status, schlagwort: tag })}`}>
                  {tag}
                </a>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td class="kern-table__cell">{r.type ? caseTypeLabels[r.type] : 'unklar'}</td>
      <td class="kern-table__cell">{r.categoryName ?? '–'}</td>
      <td class="kern-table__cell">{r.teamName ?? 'Sichtung'}</td>
      <td class="kern-table__cell">{caseStatusLabels[r.status]}</td>
      <td class="kern-table__cell">
        <DueCell due={r.due} status={r.status} now={now} />
      </td>
      <td class="kern-table__cell">{channelLabels[r.channel]}</td>
      <td class="kern-table__cell">
        <time dateTime={r.createdAt.toISOString()} title={formatDateTime(r.createdAt)}>
          {relativeAge(r.createdAt, now)}
        </time>
      </td>
      <td class="kern-table__cell">{r.assigneeName ?? '–'}</td>
    </tr>
  );
}
