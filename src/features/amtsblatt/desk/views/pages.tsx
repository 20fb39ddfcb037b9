import { type PostKind, type PostStatus, postKinds, postStatuses, type postTargets } from '../../../../infra/schema/index.ts';
import { Alert, Button, CsrfField, type FieldErrors, TextArea } from '../../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../../ui/layout.tsx';
import { formatDateTime } from '../../../cases/time.ts';
import type { listPosts } from '../queries.ts';
import { kindLabels } from '../schemas.ts';
import type { TargetOption } from '../targets.ts';
import { type EditorImage, type EditorValues, PostEditor, TargetPreview } from './editor.tsx';

export const statusLabels: Record<PostStatus, string> = {
  draft: 'Entwurf',
  review: 'zur Freigabe',
  approved: 'freigegeben',
  scheduled: 'geplant',
  published: 'veröffentlicht',
  withdrawn: 'zurückgezogen',
};

const targetStatusLabels: Record<(typeof postTargets.$inferSelect)['status'], string> = {
  pending: 'wartet',
  scheduled: 'geplant',
  publishing: 'wird gesendet',
  published: 'veröffentlicht',
  failed: 'fehlgeschlagen',
  cancelled: 'zurückgenommen',
};

const SCRIPTS = ['/assets/js/desk-editor.js'];

export function DeskListPage(props: {
  ctx: PageContext;
  rows: Awaited<ReturnType<typeof listPosts>>;
  filter: { status?: string | undefined; kind?: string | undefined };
  isAdmin: boolean;
}) {
  return (
    <Layout ctx={props.ctx} title="Amtsblatt – Redaktion" wide>
      <h1 class="kern-heading-x-large">Amtsblatt – Redaktion</h1>
      <p class="kern-body">
        <a class="kern-btn kern-btn--primary" href="/redaktion/neu">
          <span class="kern-label">Neuer Beitrag</span>
        </a>{' '}
        {props.isAdmin && (
          <a class="kern-link" href="/redaktion/einstellungen">
            Rollen und Freigaben einstellen
          </a>
        )}
      </p>
      <form method="get" action="/redaktion" class="inline-form">
        <label class="kern-label" for="status">
          Stand
        </label>{' '}
        <select class="kern-form-input__select" id="status" name="status">
          <option value="">alle</option>
          {postStatuses.map((s) => (
            <option value={s} selected={props.filter.status === s} key={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>{' '}
        <label class="kern-label" for="kind">
          Art
        </label>{' '}
        <select class="kern-form-input__select" id="kind" name="kind">
          <option value="">alle</option>
          {postKinds.map((k) => (
            <option value={k} selected={props.filter.kind === k} key={k}>
              {kindLabels[k]}
            </option>
          ))}
        </select>{' '}
        <Button variant="secondary">Filtern</Button>
      </form>
      {props.rows.length === 0 ? (
        <p class="kern-body">Keine Beiträge in dieser Auswahl.</p>
      ) : (
        <table class="kern-table desk-table">
          <thead>
            <tr>
              <th>Titel</th>
              <th>Art</th>
              <th>Stand</th>
              <th>Von</th>
              <th>Zeitpunkt</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr key={r.id}>
                <td>
                  <a class="kern-link" href={`/redaktion/${r.id}`}>
                    {r.title}
                  </a>
                  {r.noticeNumber !== null && ` (Nr. ${r.noticeYear}/${r.noticeNumber})`}
                </td>
                <td>{kindLabels[r.kind]}</td>
                <td>{statusLabels[r.status]}</td>
                <td>{r.author ?? '–'}</td>
                <td>{formatDateTime(r.publishedAt ?? r.scheduledAt ?? r.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

export function NewPostPage(props: {
  ctx: PageContext;
  values: EditorValues;
  errors: FieldErrors;
  options: TargetOption[];
  status?: number;
}) {
  return (
    <Layout ctx={props.ctx} title={Object.keys(props.errors).length ? 'Fehler: Neuer Beitrag' : 'Neuer Beitrag'} wide scripts={SCRIPTS}>
      <h1 class="kern-heading-x-large">Neuer Beitrag</h1>
      <PostEditor
        csrfToken={props.ctx.csrfToken}
        action="/redaktion"
        values={props.values}
        errors={props.errors}
        options={props.options}
        images={[]}
        hasConsent={false}
      />
    </Layout>
  );
}

export interface PostPageData {
  post: {
    id: number;
    kind: PostKind;
    status: PostStatus;
    title: string;
    version: number;
    scheduledAt: Date | null;
    publishedAt: Date | null;
    noticeYear: number | null;
    noticeNumber: number | null;
    contentSha256: string | null;
    authorName: string | null;
    approvedByName: string | null;
    consentId: number | null;
    consentRevoked: boolean;
  };
  targets: (typeof postTargets.$inferSelect)[];
  options: TargetOption[];
  images: EditorImage[];
  comments: { id: number; body: string; createdAt: Date; author: string | null }[];
  events: { id: number; action: string; at: Date; actor: string | null }[];
  may: { edit: boolean; approve: boolean; approveReason: string | null };
}

const actionLabels: Record<string, string> = {
  created: 'angelegt',
  edited: 'geändert',
  submitted: 'zur Freigabe gegeben',
  approved: 'freigegeben',
  'sent-back': 'zurückgegeben',
  scheduled: 'geplant',
  published: 'veröffentlicht',
  commented: 'kommentiert',
  'target-queued': 'an ein Netzwerk übergeben',
  'target-published': 'auf einem Netzwerk erschienen',
  'target-failed': 'ein Ziel fehlgeschlagen',
  'target-retry': 'ein Ziel erneut versucht',
  'edited-published': 'nach Veröffentlichung geändert',
  'consent-revoked': 'Einwilligung widerrufen',
};

export function PostPage(props: {
  ctx: PageContext;
  data: PostPageData;
  values: EditorValues;
  errors: FieldErrors;
  notice?: string | undefined;
  warning?: string | undefined;
}) {
  const { post, targets, options } = props.data;
  const token = props.ctx.csrfToken;
  const optionOf = (t: (typeof targets)[number]) => options.find((o) => o.target === t.target && o.channelAccountId === t.channelAccountId);
  const version = <input type="hidden" name="version" value={String(post.version)} />;
  const editable = ['draft', 'review', 'approved', 'scheduled'].includes(post.status);
  return (
    <Layout ctx={props.ctx} title={post.title} wide scripts={SCRIPTS}>
      <h1 class="kern-heading-x-large">{post.title}</h1>
      {props.notice && <Alert kind="success" title={props.notice} />}
      {props.warning && <Alert kind="warning" title={props.warning} />}
      <p class="kern-body">
        {kindLabels[post.kind]} · Stand: <strong data-testid="post-status">{statusLabels[post.status]}</strong>
        {post.authorName && ` · von ${post.authorName}`}
        {post.approvedByName && ` · freigegeben von ${post.approvedByName}`}
        {post.scheduledAt && post.status === 'scheduled' && ` · erscheint ${formatDateTime(post.scheduledAt)}`}
        {post.publishedAt && ` · veröffentlicht ${formatDateTime(post.publishedAt)}`}
        {post.noticeNumber !== null && ` · Nr. ${post.noticeYear}/${post.noticeNumber}`}
      </p>
      {post.contentSha256 && (
        <p class="kern-body kern-body--small">
          SHA-256: <code>{post.contentSha256}</code>
        </p>
      )}

      <section aria-labelledby="h-targets">
        <h2 class="kern-heading-medium" id="h-targets">
          Ziele
        </h2>
        {targets.map((t) => {
          const option = optionOf(t);
          return (
            <div key={t.id} class="form-stack" data-target-row={t.target}>
              <p class="kern-body">
                <strong>{option?.label ?? t.target}</strong>: {targetStatusLabels[t.status]}
                {t.publicUrl && (
                  <>
                    {' · '}
                    <a class="kern-link" href={t.publicUrl}>
                      ansehen
                    </a>
                  </>
                )}
              </p>
              {t.lastError && <Alert kind="danger" title={t.lastError} />}
              {t.status === 'failed' && post.status === 'published' && (
                <form method="post" action={`/redaktion/${post.id}/ziele/${t.id}/erneut`}>
                  <CsrfField token={token} />
                  <Button variant="secondary">erneut versuchen</Button>
                </form>
              )}
              {option && <TargetPreview option={option} text={t.text} />}
            </div>
          );
        })}
      </section>

      <section aria-labelledby="h-steps" class="form-stack">
        <h2 class="kern-heading-medium" id="h-steps">
          Nächster Schritt
        </h2>
        {post.status === 'draft' && (
          <form method="post" action={`/redaktion/${post.id}/einreichen`}>
            <CsrfField token={token} />
            {version}
            <Button>Zur Freigabe geben</Button>
          </form>
        )}
        {post.status === 'review' && props.data.may.approve && (
          <>
            <p class="kern-body">Sie geben genau die Texte oben frei, wie sie jetzt dort stehen.</p>
            <form method="post" action={`/redaktion/${post.id}/freigeben`}>
              <CsrfField token={token} />
              {version}
              <Button>Freigeben</Button>
            </form>
          </>
        )}
        {post.status === 'review' && !props.data.may.approve && props.data.may.approveReason && (
          <p class="kern-body">{props.data.may.approveReason}</p>
        )}
        {(post.status === 'review' || post.status === 'approved') && props.data.may.approve && (
          <form method="post" action={`/redaktion/${post.id}/zurueck`} class="form-stack">
            <CsrfField token={token} />
            {version}
            <TextArea name="comment" label="Zurück an die Redaktion, mit Begründung" optional rows={2} />
            <Button variant="secondary">Zurückgeben</Button>
          </form>
        )}
        {(post.status === 'approved' || post.status === 'scheduled') && (
          <>
            <form method="post" action={`/redaktion/${post.id}/planen`} class="form-stack">
              <CsrfField token={token} />
              {version}
              <div class={`kern-form-input${props.errors.scheduledAt ? ' kern-form-input--error' : ''}`}>
                <label class="kern-label" for="scheduledAt">
                  Erscheinen am
                </label>
                <input
                  class="kern-form-input__input"
                  type="datetime-local"
                  id="scheduledAt"
                  name="scheduledAt"
                  value={props.values.scheduledAt ?? ''}
                />
                {props.errors.scheduledAt && (
                  <p class="kern-error" role="alert">
                    <span class="kern-body">{props.errors.scheduledAt}</span>
                  </p>
                )}
              </div>
              <Button>Planen</Button>
            </form>
            <form method="post" action={`/redaktion/${post.id}/jetzt`}>
              <CsrfField token={token} />
              {version}
              <Button variant="secondary">Jetzt veröffentlichen</Button>
            </form>
          </>
        )}
        {post.consentId !== null && !post.consentRevoked && (
          <form method="post" action={`/redaktion/einwilligungen/${post.consentId}/widerrufen`}>
            <CsrfField token={token} />
            <Button variant="tertiary">Einwilligung widerrufen (nimmt das Porträt aus dem Amtsblatt)</Button>
          </form>
        )}
        {post.status === 'published' && post.kind === 'notice' && (
          <p class="kern-body">
            Veröffentlichte Amtliche Bekanntmachungen bleiben unverändert. Für eine Berichtigung legen Sie eine neue Bekanntmachung an.
          </p>
        )}
      </section>

      {(editable || (post.status === 'published' && post.kind !== 'notice')) && props.data.may.edit && (
        <section aria-labelledby="h-edit">
          <h2 class="kern-heading-medium" id="h-edit">
            {post.status === 'published' ? 'Veröffentlichten Beitrag ändern' : 'Bearbeiten'}
          </h2>
          {editable && post.status !== 'draft' && (
            <p class="kern-body">Wenn Sie speichern, geht der Beitrag zurück in den Entwurf und braucht eine neue Freigabe.</p>
          )}
          <PostEditor
            csrfToken={token}
            action={`/redaktion/${post.id}`}
            values={props.values}
            errors={props.errors}
            options={
              post.status === 'published'
                ? options.filter((o) => targets.some((t) => t.target === o.target && t.channelAccountId === o.channelAccountId))
                : options
            }
            images={props.data.images}
            hasConsent={post.consentId !== null && !post.consentRevoked}
            published={post.status === 'published'}
          />
        </section>
      )}

      <section aria-labelledby="h-comments" class="form-stack">
        <h2 class="kern-heading-medium" id="h-comments">
          Kommentare
        </h2>
        {props.data.comments.map((c) => (
          <div key={c.id} class="desk-preview">
            <p class="kern-body kern-body--small">
              {c.author ?? 'ehemalige Person'} · {formatDateTime(c.createdAt)}
            </p>
            <p class="kern-body" style="white-space: pre-wrap">
              {c.body}
            </p>
          </div>
        ))}
        <form method="post" action={`/redaktion/${post.id}/kommentare`} class="form-stack">
          <CsrfField token={token} />
          <TextArea name="comment" label="Kommentar" rows={2} error={props.errors.comment} />
          <Button variant="secondary">Kommentieren</Button>
        </form>
      </section>

      <section aria-labelledby="h-trail">
        <h2 class="kern-heading-medium" id="h-trail">
          Verlauf
        </h2>
        <ol class="kern-list">
          {props.data.events.map((e) => (
            <li key={e.id}>
              {formatDateTime(e.at)}: {actionLabels[e.action] ?? e.action}
              {e.actor && ` (${e.actor})`}
            </li>
          ))}
        </ol>
      </section>
    </Layout>
  );
}

export function DeskSettingsPage(props: {
  ctx: PageContext;
  staff: { id: number; name: string; email: string; role: string; desk: string | null }[];
  approval: Record<string, boolean>;
  notice?: string | undefined;
}) {
  return (
    <Layout ctx={props.ctx} title="Amtsblatt: Rollen und Freigaben" wide>
      <h1 class="kern-heading-x-large">Amtsblatt: Rollen und Freigaben</h1>
      {props.notice && <Alert kind="success" title={props.notice} />}
      <form method="post" action="/redaktion/einstellungen" class="form-stack">
        <CsrfField token={props.ctx.csrfToken} />
        <h2 class="kern-heading-medium">Wer schreibt, wer gibt frei?</h2>
        <p class="kern-body">Die Verwaltung darf immer beides. Niemand gibt den eigenen Beitrag frei.</p>
        {props.staff.map((s) => (
          <div class="kern-form-input" key={s.id}>
            <label class="kern-label" for={`role_${s.id}`}>
              {s.name}
              {s.role === 'admin' && ' (Verwaltung)'}
            </label>
            <select class="kern-form-input__select" id={`role_${s.id}`} name={`role_${s.id}`}>
              <option value="">keine Rolle</option>
              <option value="editor" selected={s.desk === 'editor'}>
                Redaktion (schreiben)
              </option>
              <option value="approver" selected={s.desk === 'approver'}>
                Freigabe (schreiben und freigeben)
              </option>
            </select>
          </div>
        ))}
        <h2 class="kern-heading-medium">Welche Arten brauchen eine Freigabe?</h2>
        <p class="kern-body">Amtliche Bekanntmachungen brauchen immer eine Freigabe durch eine zweite Person.</p>
        {postKinds
          .filter((k) => k !== 'notice')
          .map((k) => (
            <div class="kern-form-check" key={k}>
              <input
                class="kern-form-check__checkbox"
                type="checkbox"
                id={`approval_${k}`}
                name={`approval_${k}`}
                value="yes"
                checked={props.approval[k] ?? true}
              />
              <label class="kern-label" for={`approval_${k}`}>
                {kindLabels[k]}
              </label>
            </div>
          ))}
        <Button>Speichern</Button>
      </form>
    </Layout>
  );
}
