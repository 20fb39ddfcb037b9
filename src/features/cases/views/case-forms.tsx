import type { ComponentChildren } from 'preact';
import type { Visibility } from '../../../infra/schema/index.ts';
import { Button, Checkbox, CsrfField, RadioGroup, SelectField, TextArea, TextField } from '../../../ui/forms.tsx';
import { TEXT_MAX } from '../forms.ts';
import { caseStatusLabels, caseTypeLabels, priorityLabels, statusTransitions } from '../labels.ts';
import type { CaseDetail } from '../queries.ts';

/** A form that came back: which one, what was typed, and what was wrong. */
export interface CaseFormState {
  /** A core form, or a registered panel's form (panels.ts) by its path. */
  name: 'edit' | 'assign' | 'note' | 'reply' | 'contact' | `panel:${string}`;
  values: Record<string, string>;
  errors: Record<string, string>;
  /** A message about the whole form (e.g. someone else changed the case meanwhile). */
  message?: string;
}

type Props = { k: CaseDetail; csrf: string | undefined; form: CaseFormState | undefined };

/** Values of this form as typed when it came back, else the case's own. */
function stateOf(name: CaseFormState['name'], form: CaseFormState | undefined) {
  const mine = form?.name === name ? form : undefined;
  return {
    value: (field: string, fallback: string) => mine?.values[field] ?? fallback,
    error: (field: string) => mine?.errors[field],
  };
}

function Hidden({ k, csrf }: { k: CaseDetail; csrf: string | undefined }) {
  return (
    <>
      <CsrfField token={csrf} />
      <input type="hidden" name="version" value={String(k.version)} />
    </>
  );
}

/**
 * A public conversation on a social network may be answered publicly (as the citizen wrote) or moved
 * to a direct message; a direct message is always answered directly, so no choice is offered.
 */
function VisibilityChoice({ current, value, confirmed }: { current: Visibility; value: string; confirmed: boolean }) {
  if (current === 'direct')
    return <p class="kern-body kern-body--small">Die Antwort geht als Direktnachricht: nur die Person sieht sie.</p>;
  return (
    <>
      <RadioGroup
        name="visibility"
        label="Wer darf die Antwort sehen?"
        value={value}
        options={[
          { value: current, label: 'öffentlich antworten (wie die Nachricht der Person)' },
          { value: 'direct', label: 'als Direktnachricht (nur die Person)' },
        ]}
      />
      <Checkbox
        name="publicAnyway"
        label="Trotzdem öffentlich senden, auch wenn persönliche Daten darin erkannt werden"
        checked={confirmed}
      />
    </>
  );
}

/** `picker`: the reply aids of features (the Textbaustein chooser, its own GET form), above the reply form. */
export function ReplyForm({
  k,
  csrf,
  form,
  picker,
  socialVisibility = null,
}: Props & { picker?: ComponentChildren; socialVisibility?: Visibility | null }) {
  const s = stateOf('reply', form);
  const way = k.reporterEmail
    ? `Die Antwort geht per E-Mail an ${k.reporterEmail} und erscheint auf der Verfolgen-Seite.`
    : 'Keine E-Mail-Adresse bekannt: Die Antwort erscheint auf der Verfolgen-Seite; Sie erfahren nach dem Senden, was noch zu tun ist.';
  return (
    <section>
      <h2 id="reply-title" class="kern-heading-medium">
        Antworten
      </h2>
      {picker}
      <form method="post" action={`/staff/faelle/${k.number}/antwort`} class="form-stack">
        <Hidden k={k} csrf={csrf} />
        <TextArea
          id="reply-body"
          name="body"
          label="Antwort an die meldende Person"
          hint={`${way} Anrede und Gruß ergänzen wir.`}
          value={s.value('body', '')}
          error={s.error('body')}
          maxLength={TEXT_MAX}
          rows={6}
        />
        {socialVisibility && (
          <VisibilityChoice
            current={socialVisibility}
            value={s.value('visibility', socialVisibility)}
            confirmed={s.value('publicAnyway', '') === 'yes'}
          />
        )}
        <div class="filters">
          <Button>Antwort senden</Button>
          {k.status !== 'resolved' && statusTransitions[k.status].includes('resolved') && (
            <Button variant="secondary" name="resolve" value="yes">
              Antworten und erledigen
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

export function NoteForm({ k, csrf, form }: Props) {
  const s = stateOf('note', form);
  return (
    <section>
      <h2 id="note-title" class="kern-heading-medium">
        Interne Notiz
      </h2>
      <form method="post" action={`/staff/faelle/${k.number}/notiz`} class="form-stack">
        <Hidden k={k} csrf={csrf} />
        <TextArea
          id="note-body"
          name="body"
          label="Notiz für Kolleginnen und Kollegen"
          hint="Nur intern sichtbar, nie auf der Verfolgen-Seite."
          value={s.value('body', '')}
          error={s.error('body')}
          maxLength={TEXT_MAX}
          rows={3}
        />
        <Button variant="secondary">Notiz speichern</Button>
      </form>
    </section>
  );
}

export function EditForm(
  props: Props & {
    teams: { id: number; name: string }[];
    categories: { id: number; name: string; groupName: string; active: boolean }[];
  },
) {
  const { k, csrf, form } = props;
  const s = stateOf('edit', form);
  const statuses = [k.status, ...statusTransitions[k.status]];
  return (
    <section>
      <h2 id="edit-title" class="kern-heading-medium">
        Bearbeiten
      </h2>
      <form method="post" action={`/staff/faelle/${k.number}/bearbeiten`} class="form-stack">
        <Hidden k={k} csrf={csrf} />
        <SelectField
          id="edit-status"
          name="status"
          label="Status"
          hint="Nur die nächsten sinnvollen Schritte stehen zur Wahl."
          value={s.value('status', k.status)}
          error={s.error('status')}
          options={statuses.map((v) => ({ value: v, label: caseStatusLabels[v] }))}
        />
        <TextField
          id="edit-statusNote"
          name="statusNote"
          label="Hinweis zum neuen Status (öffentlich)"
          hint="Bei „weitergeleitet“: an wen; bei „abgelehnt“: warum. Erscheint ohne personenbezogene Daten auf der öffentlichen Seite."
          value={s.value('statusNote', '')}
          error={s.error('statusNote')}
        />
        <SelectField
          id="edit-type"
          name="type"
          label="Art"
          value={s.value('type', k.type ?? '')}
          error={s.error('type')}
          emptyLabel="noch unklar"
          options={Object.entries(caseTypeLabels).map(([value, label]) => ({ value, label }))}
        />
        <SelectField
          id="edit-categoryId"
          name="categoryId"
          label="Kategorie"
          value={s.value('categoryId', k.categoryId === null ? '' : String(k.categoryId))}
          error={s.error('categoryId')}
          emptyLabel="keine"
          options={props.categories
            .filter((c) => c.active || c.id === k.categoryId)
            .map((c) => ({ value: String(c.id), label: c.name, group: c.groupName }))}
        />
        <SelectField
          id="edit-teamId"
          name="teamId"
          label="Team"
          hint="Ein anderes Team übernimmt das Anliegen samt Zuständigkeit."
          value={s.value('teamId', k.teamId === null ? '' : String(k.teamId))}
          error={s.error('teamId')}
          emptyLabel="ohne Team (Sichtung)"
          options={props.teams.map((t) => ({ value: String(t.id), label: t.name }))}
        />
        <SelectField
          id="edit-priority"
          name="priority"
          label="Priorität"
          value={s.value('priority', k.priority)}
          error={s.error('priority')}
          options={Object.entries(priorityLabels).map(([value, label]) => ({ value, label }))}
        />
        <Button>Speichern</Button>
      </form>
    </section>
  );
}

export function AssignForms(props: Props & { assignees: { id: number; displayName: string }[]; userId: number }) {
  const { k, csrf, form } = props;
  const s = stateOf('assign', form);
  return (
    <section>
      <h2 id="assign-title" class="kern-heading-medium">
        Zuständig
      </h2>
      <p class="kern-body">{k.assigneeName ? `Zurzeit: ${k.assigneeName}` : 'Noch niemand kümmert sich darum.'}</p>
      {k.assigneeId !== props.userId && (
        <form method="post" action={`/staff/faelle/${k.number}/zuweisen`}>
          <Hidden k={k} csrf={csrf} />
          <Button name="assignee" value="ich">
            Mir zuweisen
          </Button>
        </form>
      )}
      <form method="post" action={`/staff/faelle/${k.number}/zuweisen`} class="form-stack">
        <Hidden k={k} csrf={csrf} />
        <SelectField
          id="assign-assignee"
          name="assignee"
          label="Jemand anderem zuweisen"
          value={s.value('assignee', k.assigneeId === null ? 'niemand' : String(k.assigneeId))}
          error={s.error('assignee')}
          options={[
            { value: 'niemand', label: 'niemand (Zuweisung aufheben)' },
            ...props.assignees.map((u) => ({ value: String(u.id), label: u.displayName })),
          ]}
        />
        <Button variant="secondary">Zuweisen</Button>
      </form>
    </section>
  );
}
