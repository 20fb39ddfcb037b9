import { Alert, CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import { TARGET_NAMES } from '../writing/check-post.ts';
import { KIND_LABELS, STATUS_LABELS } from './labels.ts';
import { localDay, localInput, localTime, type Period } from './period.ts';
import type { CalendarIdea, CalendarPost } from './queries.ts';

const WEEKDAYS = ['Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag', 'Sonntag'];
const dayLabel = (iso: string, i: number) => {
  const [, m, d] = iso.split('-');
  return `${WEEKDAYS[i % 7]}, ${Number(d)}.${Number(m)}.`;
};

export interface MoveForm {
  postId: number;
  at: string;
  error: string;
}

function PostItem({ post, back, ctx, form }: { post: CalendarPost; back: string; ctx: PageContext; form?: MoveForm | undefined }) {
  const movable = post.status !== 'published';
  const fieldId = `at-${post.id}`;
  const mine = form?.postId === post.id ? form : undefined;
  return (
    <li class={`calendar-post calendar-post--${post.status}`} data-post-id={post.id} data-movable={movable ? 'ja' : undefined}>
      <span class="kern-body kern-body--small">
        {localTime(post.at)} · {KIND_LABELS[post.kind]} · {STATUS_LABELS[post.status]}
      </span>
      <br />
      <strong>{post.title}</strong>
      {post.targets.length > 0 && <span class="kern-body kern-body--small"> ({post.targets.map((t) => TARGET_NAMES[t]).join(', ')})</span>}
      {movable && (
        <details open={mine ? true : undefined}>
          <summary>Verschieben</summary>
          <form method="post" action={`/redaktion/kalender/${post.id}/verschieben`} class="calendar-move" novalidate>
            <CsrfField token={ctx.csrfToken} />
            <input type="hidden" name="version" value={String(post.version)} />
            <input type="hidden" name="zurueck" value={back} />
            <div class={`kern-form-input${mine ? ' kern-form-input--error' : ''}`}>
              <label class="kern-label" for={fieldId}>
                Neuer Zeitpunkt für „{post.title}“
              </label>
              {mine && (
                <p class="kern-error" id={`${fieldId}-error`} role="alert">
                  {mine.error}
                </p>
              )}
              <input
                class="kern-form-input__input"
                type="datetime-local"
                id={fieldId}
                name="at"
                value={mine?.at ?? localInput(post.at)}
                aria-invalid={mine ? 'true' : undefined}
                aria-describedby={mine ? `${fieldId}-error` : undefined}
              />
            </div>
            <button type="submit" class="kern-btn kern-btn--secondary">
              <span class="kern-label">Verschieben</span>
            </button>
          </form>
        </details>
      )}
    </li>
  );
}

function IdeaItem({ idea, ctx }: { idea: CalendarIdea; ctx: PageContext }) {
  return (
    <li class="calendar-idea">
      <span class="kern-body kern-body--small">{idea.allDay ? 'ganztägig' : localTime(idea.startsAt)} · Idee aus dem Terminkalender</span>
      <br />
      <strong>{idea.title}</strong>
      {idea.place && <span class="kern-body kern-body--small"> ({idea.place})</span>}
      <form method="post" action={`/redaktion/ideen/${idea.id}/beitrag`} class="inline-form">
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="kern-btn kern-btn--tertiary">
          <span class="kern-label">Beitrag daraus machen</span>
        </button>
      </form>
      <form method="post" action={`/redaktion/ideen/${idea.id}/verwerfen`} class="inline-form">
        <CsrfField token={ctx.csrfToken} />
        <button type="submit" class="kern-btn kern-btn--tertiary">
          <span class="kern-label">Verwerfen</span>
        </button>
      </form>
    </li>
  );
}

export function CalendarPage(p: {
  ctx: PageContext;
  period: Period;
  posts: CalendarPost[];
  ideas: CalendarIdea[];
  notice?: string | undefined;
  error?: string | undefined;
  form?: MoveForm | undefined;
}) {
  const back = `/redaktion/kalender?ansicht=${p.period.view}&datum=${p.period.anchor}`;
  const other = p.period.view === 'monat' ? 'woche' : 'monat';
  return (
    <Layout ctx={p.ctx} title={`Redaktionskalender: ${p.period.title}`} scripts={['/assets/js/calendar-drag.js']}>
      <h1 class="kern-heading-large">Redaktionskalender</h1>
      <p class="kern-body">Geplante und veröffentlichte Beiträge, dazu Ideen aus dem Terminkalender. Nix los im Dorf? Dann ab ins Netz!</p>
      {p.notice && <Alert kind="success" title={p.notice} />}
      {p.error && <Alert kind="danger" title={p.error} />}
      <nav aria-label="Zeitraum" class="calendar-nav">
        <a class="kern-link" href={`/redaktion/kalender?ansicht=${p.period.view}&datum=${p.period.prev}`}>
          {p.period.view === 'monat' ? 'Voriger Monat' : 'Vorige Woche'}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href={`/redaktion/kalender?ansicht=${p.period.view}&datum=${p.period.next}`}>
          {p.period.view === 'monat' ? 'Nächster Monat' : 'Nächste Woche'}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href={`/redaktion/kalender?ansicht=${other}&datum=${p.period.anchor}`}>
          {other === 'woche' ? 'Wochenansicht' : 'Monatsansicht'}
        </a>{' '}
        ·{' '}
        <a class="kern-link" href="/redaktion/kalender/quellen">
          Terminkalender verwalten
        </a>{' '}
        ·{' '}
        <a class="kern-link" href="/redaktion/ratsdokumente">
          Ratsdokumente
        </a>
      </nav>
      <h2 class="kern-heading-medium">{p.period.title}</h2>
      <ol class={`calendar calendar--${p.period.view}`}>
        {p.period.days.map((day, i) => {
          const posts = p.posts.filter((x) => localDay(x.at) === day.date);
          const ideas = p.ideas.filter((x) => localDay(x.startsAt) === day.date);
          const empty = posts.length === 0 && ideas.length === 0;
          if (p.period.view === 'monat' && !day.inMonth && empty)
            return <li class="calendar-day calendar-day--outside" aria-hidden="true" />;
          return (
            <li class={`calendar-day${day.inMonth ? '' : ' calendar-day--outside'}`} data-date={day.date}>
              <h3 class="kern-title calendar-day__title">{dayLabel(day.date, i)}</h3>
              {empty ? null : (
                <ul class="calendar-day__items">
                  {posts.map((post) => (
                    <PostItem post={post} back={back} ctx={p.ctx} form={p.form} />
                  ))}
                  {ideas.map((idea) => (
                    <IdeaItem idea={idea} ctx={p.ctx} />
                  ))}
                </ul>
              )}
            </li>
          );
        })}
      </ol>
    </Layout>
  );
}
