import type { ComponentChildren } from 'preact';
import { Alert, ErrorSummary } from '../../../ui/forms.tsx';
import { Layout, type PageContext } from '../../../ui/layout.tsx';
import type { DuplicatesPanelData } from '../../duplicates/staff-panel.ts';
import { DuplicatesPanel } from '../../duplicates/views/staff-panel.tsx';
import type { CaseSuggestions } from '../../routing/classifier/suggestions.ts';
import { SuggestionBox } from '../../routing/classifier/views/suggestions.tsx';
import type { CaseSlaRow } from '../../sla/queries.ts';
import { SlaBox } from '../../sla/views/sla-box.tsx';
import { auditLabel, describeAudit } from '../audit.ts';
import { type CaseLinkView, linkLabel } from '../case-links.ts';
import type { ContactPanelData } from '../contact-panel.ts';
import { type ForwardSeen, forwardTarget } from '../forwards.ts';
import { caseStatusLabels, caseTypeLabels, channelLabels, priorityLabels } from '../labels.ts';
import { LiveNotice } from '../live/notice.tsx';
import type { AuditRow, CaseDetail, CaseFile, ThreadMessage } from '../queries.ts';
import type { ReplyAid } from '../reply-aids.ts';
import { formatDate, formatDateTime, relativeAge } from '../time.ts';
import { CaseFiles } from './case-files.tsx';
import { AssignForms, type CaseFormState, EditForm, NoteForm, ReplyForm } from './case-forms.tsx';
import { ContactPanel } from './contact-panel.tsx';
import { Fact } from './fact.tsx';

export interface CasePageProps {
  ctx: PageContext;
  kase: CaseDetail;
  thread: ThreadMessage[];
  photos: { id: number }[];
  /** PDFs and office documents (kind 'file'), listed for download. */
  files?: CaseFile[];
  /** Kontakt panel; its `letterLinks` adds "Als Brief drucken" beside each reply. */
  contact?: ContactPanelData;
  audit: AuditRow[];
  options: {
    teams: { id: number; name: string }[];
    categories: { id: number; name: string; groupName: string; active: boolean }[];
    assignees: { id: number; displayName: string }[];
  };
  userId: number;
  now: Date;
  ok?: string | undefined;
  /** Set after a reply that could not be delivered automatically: what the clerk has to do. */
  replyNote?: string | null;
  form?: CaseFormState;
  /** What features put above the reply box (reply-aids.ts): the Textbausteine picker. */
  replyAids?: ReplyAid[];
  /** The classifier's one-click suggestions (null without a trained model). */
  suggestions?: CaseSuggestions | null;
  /** Possible duplicates, additional reporters and merges (duplicates feature). */
  duplicates?: DuplicatesPanelData;
  /** Follow-ups and related cases ("Folgeanliegen zu 2026-00012"). */
  links?: CaseLinkView[];
  /** The SLA clock (null: no policy applies; absent: not loaded). */
  sla?: CaseSlaRow | null;
  /** Panels registered by features (panels.ts), already rendered, with their success messages. */
  panels?: { id: string; body: ComponentChildren }[];
  panelOkMessages?: Record<string, string>;
  /** Set for the team that handed the case on: it reads, it does not change (forwards.ts). */
  readOnly?: ForwardSeen | null;
}

const okMessages: Record<string, string> = {
  gespeichert: 'Die Änderungen sind gespeichert.',
  unveraendert: 'Es gab nichts zu ändern.',
  zugewiesen: 'Die Zuweisung ist gespeichert.',
  notiz: 'Die interne Notiz ist gespeichert.',
  uebernommen: 'Das Anliegen gehört jetzt Ihnen. Viel Erfolg!',
  antwort: 'Die Antwort ist unterwegs.',
  'antwort-erledigt': 'Die Antwort ist unterwegs und das Anliegen ist erledigt.',
  'aus-nicht-zugeordnet': 'Die Nachricht aus „Nicht zugeordnet“ ist jetzt dieses Anliegen.',
  zusammengefuehrt: 'Die Anliegen sind zusammengeführt. Alle Meldenden bekommen Bescheid, wenn es erledigt ist.',
  'kontakt-verknuepft': 'Die Kontakte sind jetzt als dieselbe Person verknüpft.',
  'kontakt-schon-verknuepft': 'Diese Kontakte gehören schon zu derselben Person. Es gab nichts zu ändern.',
  'kontakt-geloest': 'Die Verknüpfung ist gelöst: Der Kontakt steht wieder für sich.',
};

const auditValueLabels = { status: caseStatusLabels, type: caseTypeLabels, priority: priorityLabels, channel: channelLabels };

export function CasePage(p: CasePageProps) {
  const k = p.kase;
  const okMessage = p.ok ? (okMessages[p.ok] ?? p.panelOkMessages?.[p.ok]) : undefined;
  const errorIds = p.form ? Object.fromEntries(Object.entries(p.form.errors).map(([f, m]) => [`${p.form?.name}-${f}`, m])) : {};
  return (
    <Layout
      ctx={p.ctx}
      title={`Anliegen ${k.number}`}
      scripts={['/assets/js/template-picker.js', '/assets/js/live-updates.js', '/assets/js/form-shortcuts.js']}
    >
      <p class="kern-body">
        <a class="kern-link" href="/staff">
          ← Zum Posteingang
        </a>
      </p>
      <h1 class="kern-heading-large">
        Anliegen {k.number}{' '}
        <span class="kern-badge kern-badge--info">
          <span class="kern-label">{caseStatusLabels[k.status]}</span>
        </span>
      </h1>
      {p.links && p.links.length > 0 && <CaseLinks links={p.links} />}
      {p.readOnly ? (
        <Alert kind="info" title={`Weitergeleitet an ${forwardTarget(p.readOnly)} am ${formatDate(p.readOnly.forwardedAt)} — nur lesen`}>
          <p class="kern-body">
            Sie sehen den Stand, die Nachrichten der meldenden Person und die Antworten. Interne Notizen nach der Weiterleitung und
            Änderungen bleiben beim Team, das es jetzt bearbeitet{k.teamName ? ` (${k.teamName})` : ''}.
          </p>
        </Alert>
      ) : (
        <LiveNotice caseNumber={k.number} />
      )}
      {okMessage && !p.replyNote && <Alert kind="success" title={okMessage} />}
      {p.ok === 'angelegt' && (
        <Alert kind="success" title={`Anliegen ${k.number} angelegt`}>
          <p class="kern-body">
            <a class="kern-link" href="/erfassen" data-shortcut="n">
              Nächsten Anruf erfassen
            </a>{' '}
            (Alt+N)
          </p>
        </Alert>
      )}
      {p.replyNote && (
        <Alert kind="warning" title="Antwort gespeichert, aber nicht automatisch zugestellt">
          <p class="kern-body">{p.replyNote}</p>
        </Alert>
      )}
      {p.form?.message && Object.keys(p.form.errors).length === 0 && (
        <Alert kind="danger" title="Nicht gespeichert">
          <p class="kern-body">{p.form.message}</p>
        </Alert>
      )}
      <ErrorSummary errors={errorIds} />
      <div class="case-layout">
        <div class="form-stack">
          <CaseFacts k={k} />
          <section aria-labelledby="thread-title">
            <h2 id="thread-title" class="kern-heading-medium">
              Verlauf
            </h2>
            <ol class="thread">
              {p.thread.map((m) => (
                <ThreadItem
                  m={m}
                  now={p.now}
                  key={m.id}
                  letterBase={p.contact?.letterLinks && !p.readOnly ? `/anliegen/${k.number}/brief` : null}
                  caseBase={p.readOnly ? null : `/staff/faelle/${k.number}`}
                />
              ))}
            </ol>
          </section>
          {p.photos.length > 0 && (
            <section aria-labelledby="photos-title">
              <h2 id="photos-title" class="kern-heading-medium">
                Fotos
              </h2>
              <ul class="photo-grid">
                {p.photos.map((ph, i) => (
                  <li key={ph.id}>
                    <a class="kern-link" href={`/staff/faelle/${k.number}/fotos/${ph.id}`}>
                      <img
                        src={`/staff/faelle/${k.number}/fotos/${ph.id}/vorschau`}
                        alt={`Foto ${i + 1} in voller Größe öffnen`}
                        loading="lazy"
                      />
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          )}
          {p.files && p.files.length > 0 && <CaseFiles number={k.number} files={p.files} />}
          {!p.readOnly && (
            <>
              <ReplyForm
                k={p.kase}
                csrf={p.ctx.csrfToken}
                form={p.form}
                picker={p.replyAids?.map((a) => a.picker)}
                socialVisibility={p.thread.filter((m) => m.kind === 'inbound' && m.visibility).at(-1)?.visibility ?? null}
              />
              <NoteForm k={p.kase} csrf={p.ctx.csrfToken} form={p.form} />
            </>
          )}
        </div>
        <div class="form-stack">
          {p.contact && <ContactPanel k={k} data={p.contact} csrf={p.ctx.csrfToken} />}
          {p.sla !== undefined && <SlaBox sla={p.sla} kase={k} now={p.now} />}
          {p.suggestions && <SuggestionBox k={k} csrf={p.ctx.csrfToken} suggestions={p.suggestions} />}
          {!p.readOnly && (
            <>
              <EditForm k={p.kase} csrf={p.ctx.csrfToken} form={p.form} teams={p.options.teams} categories={p.options.categories} />
              <AssignForms k={p.kase} csrf={p.ctx.csrfToken} form={p.form} assignees={p.options.assignees} userId={p.userId} />
            </>
          )}
          {p.duplicates && <DuplicatesPanel k={k} data={p.duplicates} csrf={p.ctx.csrfToken} />}
          {p.panels?.map((panel) => (
            <div key={panel.id}>{panel.body}</div>
          ))}
          <AuditTrail audit={p.audit} />
        </div>
      </div>
    </Layout>
  );
}

function CaseFacts({ k }: { k: CaseDetail }) {
  const hasPoint = k.lat !== null && k.lon !== null;
  return (
    <section aria-labelledby="facts-title">
      <h2 id="facts-title" class="kern-heading-medium">
        Überblick
      </h2>
      <dl class="kern-description-list">
        <Fact label="Status">{caseStatusLabels[k.status]}</Fact>
        <Fact label="Art">{k.type ? caseTypeLabels[k.type] : 'noch unklar'}</Fact>
        <Fact label="Kategorie">{k.categoryName ?? '–'}</Fact>
        <Fact label="Team">{k.teamName ?? 'ohne Team (Sichtung)'}</Fact>
        <Fact label="Zuständig">{k.assigneeName ?? 'niemand'}</Fact>
        <Fact label="Priorität">{priorityLabels[k.priority]}</Fact>
        <Fact label="Schlagwörter">{k.tags.length > 0 ? k.tags.join(', ') : '–'}</Fact>
        <Fact label="Kanal">{channelLabels[k.channel]}</Fact>
        <Fact label="Eingegangen">
          <time dateTime={k.createdAt.toISOString()}>{formatDateTime(k.createdAt)}</time>
        </Fact>
        {k.closedAt && (
          <Fact label="Abgeschlossen">
            <time dateTime={k.closedAt.toISOString()}>{formatDateTime(k.closedAt)}</time>
          </Fact>
        )}
        <Fact label="Stadtteil">{k.districtName ?? '–'}</Fact>
        <Fact label="Ort">
          {k.locationText ?? (hasPoint ? '' : '–')}
          {hasPoint && (
            <>
              {k.locationText ? ' · ' : ''}
              <a
                class="kern-link"
                href={`https://www.openstreetmap.org/?mlat=${k.lat}&mlon=${k.lon}#map=18/${k.lat}/${k.lon}`}
                rel="noopener noreferrer"
              >
                Auf OpenStreetMap zeigen ({k.lat?.toFixed(5)}, {k.lon?.toFixed(5)})
              </a>
            </>
          )}
        </Fact>
      </dl>
    </section>
  );
}

function threadTitle(m: ThreadMessage): string {
  switch (m.kind) {
    case 'inbound':
      return `Nachricht der meldenden Person (${channelLabels[m.channel]})`;
    case 'reply':
      return `Antwort von ${m.authorName ?? 'einer Mitarbeiterin / einem Mitarbeiter'}`;
    case 'auto':
      return 'Automatische Nachricht';
    case 'note':
      return `Interne Notiz von ${m.authorName ?? 'unbekannt'}`;
    case 'follower':
      return 'Meldung einer weiteren Person, die diesem Anliegen folgt';
  }
}

/**
 * `letterBase`: set when the case has a postal address, so each reply can go out as a letter.
 * `caseBase`: null on a read-only page (the Originalansicht is for the team working on it).
 */
function ThreadItem({ m, now, letterBase, caseBase }: { m: ThreadMessage; now: Date; letterBase: string | null; caseBase: string | null }) {
  return (
    <li class={m.kind === 'note' || m.kind === 'reply' ? m.kind : undefined}>
      <p class="kern-body kern-body--small">
        <strong>{threadTitle(m)}</strong>
        {m.kind === 'note' && ' – nur intern sichtbar'} ·{' '}
        <time dateTime={m.createdAt.toISOString()} title={formatDateTime(m.createdAt)}>
          {relativeAge(m.createdAt, now)}
        </time>
      </p>
      <p class="kern-body message-body">{m.body}</p>
      {m.publicUrl && (
        <p class="kern-body kern-body--small">
          <a class="kern-link" href={m.publicUrl} rel="noopener noreferrer nofollow" target="_blank">
            Öffentlich auf {channelLabels[m.channel]} ansehen
          </a>
        </p>
      )}
      {m.visibility === 'direct' && <p class="kern-body kern-body--small">Direktnachricht: nur die Person und die Stadt sehen sie.</p>}
      {m.hasOriginal && caseBase && (
        <p class="kern-body kern-body--small">
          <a class="kern-link" href={`${caseBase}/nachrichten/${m.id}/original`}>
            Originalansicht<span class="kern-sr-only"> dieser Nachricht</span>
          </a>
        </p>
      )}
      {m.kind === 'reply' && letterBase && (
        <p class="kern-body kern-body--small">
          <a class="kern-link" href={`${letterBase}/${m.id}`}>
            Als Brief drucken
          </a>{' '}
          ·{' '}
          <a class="kern-link" href={`${letterBase}/${m.id}.pdf`}>
            PDF<span class="kern-sr-only"> dieses Briefs herunterladen</span>
          </a>
        </p>
      )}
    </li>
  );
}

function AuditTrail({ audit }: { audit: AuditRow[] }) {
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title" class="kern-heading-medium">
        Protokoll
      </h2>
      <ol class="timeline">
        {audit.map((a) => {
          const detail = describeAudit(a.action, a.details, auditValueLabels);
          return (
            <li key={a.id}>
              <p class="kern-body">
                <strong>{auditLabel(a.action)}</strong>
                {detail ? `: ${detail}` : ''}
              </p>
              <p class="kern-body kern-body--small">
                {a.actorLabel} · <time dateTime={a.createdAt.toISOString()}>{formatDateTime(a.createdAt)}</time>
              </p>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function CaseLinks({ links }: { links: CaseLinkView[] }) {
  return (
    <ul class="case-links kern-body">
      {links.map((l) => (
        <li key={`${l.direction}-${l.number}`}>
          {linkLabel(l)}{' '}
          <a class="kern-link" href={`/staff/faelle/${l.number}`}>
            {l.number}
          </a>
        </li>
      ))}
    </ul>
  );
}
