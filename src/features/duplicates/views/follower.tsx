import { Alert, CsrfField } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { HistoryEntry } from '../../transparency/history.ts';
import type { PublicCaseFacts } from '../../transparency/queries.ts';
import { HistoryTimeline, StatusFacts } from '../../transparency/views/public-case.tsx';
import { publicPlace } from '../public-text.ts';
import { formatDate } from './format.ts';

const dateTime = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Europe/Berlin' });

export interface FollowerProps {
  ctx: PageContext;
  url: string;
  item: PublicCaseFacts;
  history: HistoryEntry[];
  followingSince: Date;
  hasEmail: boolean;
  /** Right after "Dieser Meldung folgen": say it worked and ask to keep the link. */
  justFollowed: boolean;
}

/**
 * What a follower sees: the public facts and history of the report they follow, and nothing the
 * first reporter wrote or uploaded beyond the short excerpt they were already shown – the report
 * is someone else's. The link is theirs alone and can be ended here.
 */
export function FollowerPage({ ctx, url, item, history, followingSince, hasEmail, justFollowed }: FollowerProps) {
  const done = item.status === 'resolved';
  return (
    <Layout ctx={ctx} title={`Sie folgen der Meldung ${item.number}`} head={<meta name="robots" content="noindex, nofollow" />}>
      <h1 class="kern-heading-large">Sie folgen der Meldung {item.number}</h1>
      {justFollowed && (
        <Alert kind="success" title="Geklappt: Sie folgen jetzt dieser Meldung">
          <p class="kern-body">
            Danke! So bearbeiten wir es nur einmal – und Sie sehen trotzdem, wie es weitergeht.{' '}
            {hasEmail
              ? 'Eine Bestätigung mit diesem Link ist per E-Mail unterwegs; wenn die Sache erledigt ist, schreiben wir Ihnen.'
              : 'Sie haben keine E-Mail-Adresse angegeben: Bitte speichern Sie den Link unten jetzt als Lesezeichen.'}
          </p>
        </Alert>
      )}
      {done && (
        <Alert kind="success" title="Erledigt!">
          <p class="kern-body">
            Diese Meldung ist erledigt{item.closedAt ? ` (seit ${dateTime.format(item.closedAt)})` : ''}. Danke fürs Mitschauen.
          </p>
        </Alert>
      )}
      <h2 class="kern-heading-medium">Ihr persönlicher Link</h2>
      <p class="kern-body">
        Unter diesem Link sehen Sie den Stand. Er gehört nur Ihnen; die Meldung selbst hat jemand anderes geschrieben.
      </p>
      <p class="kern-body tracking-link">
        <a class="kern-link" href={url}>
          {url}
        </a>
      </p>
      <h2 class="kern-heading-medium">Stand</h2>
      <StatusFacts item={item}>
        {item.locationText && (
          <>
            <dt>Ort</dt>
            <dd>{publicPlace(item.locationText)}</dd>
          </>
        )}
        <dt>Gemeldet am</dt>
        <dd>{formatDate(item.createdAt)}</dd>
        <dt>Sie folgen seit</dt>
        <dd>{formatDate(followingSince)}</dd>
      </StatusFacts>
      <HistoryTimeline history={history} />
      <h2 class="kern-heading-medium">Nicht mehr folgen</h2>
      <form method="post" action={`${new URL(url).pathname}/beenden`} class="form-stack">
        <CsrfField token={ctx.csrfToken} />
        <p class="kern-body">
          Dann löschen wir Ihren Link{hasEmail ? ' und Ihre E-Mail-Adresse' : ''}. Sie bekommen keine Nachricht mehr zu dieser Meldung.
        </p>
        <p class="kern-body">
          <button type="submit" class="kern-btn kern-btn--secondary">
            <span class="kern-label">Nicht mehr folgen</span>
          </button>
        </p>
      </form>
    </Layout>
  );
}

export function UnfollowedPage({ ctx }: { ctx: PageContext }) {
  return (
    <Layout ctx={ctx} title="Sie folgen nicht mehr" head={<meta name="robots" content="noindex, nofollow" />}>
      <h1 class="kern-heading-large">Sie folgen nicht mehr</h1>
      <p class="kern-body kern-body--large">
        Erledigt: Ihr Link, Ihre Adresse und was Sie dazu geschrieben und fotografiert haben, sind gelöscht. Danke, dass Sie mit hingeschaut
        haben!
      </p>
      <p class="kern-body">
        <a class="kern-link" href="/melden">
          Etwas Neues melden
        </a>
      </p>
    </Layout>
  );
}
