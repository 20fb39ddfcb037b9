import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Clock } from '../../infra/clock.ts';
import type { Db, DbOrTx } from '../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../infra/errors.ts';
import type { Logger } from '../../infra/log.ts';
import { replyTemplates, teamSettings } from '../../infra/schema/index.ts';
import type { Viewer } from '../cases/access.ts';
import { invalidateReferenceData } from '../cases/reference-data.ts';
import { findTemplate, listTemplates, type TemplateRow, teamsByIds, titleTaken } from './queries.ts';
import { type TeamSettingsInput, type TemplateInput, teamSettingsSchema, templateSchema } from './schemas.ts';

export interface TemplatesDeps {
  db: Db;
  clock: Clock;
  log: Logger;
}

const GONE = 'Diesen Textbaustein gibt es nicht (mehr).';
const NOT_YOURS = 'Diesen Textbaustein dürfen Sie nicht ändern: Er gehört einem anderen Team.';

/**
 * Who may write what: every team keeps its own Textbausteine; templates for everyone and any
 * team's templates are for admins. Reading is wider: the global ones and one's own teams'.
 */
export function canManage(actor: Viewer, teamId: number | null): boolean {
  return actor.role === 'admin' || (teamId !== null && actor.teamIds.includes(teamId));
}

export const readableTeams = (actor: Viewer): number[] | 'all' => (actor.role === 'admin' ? 'all' : actor.teamIds);

/** The teams an actor may write templates and settings for; admins also get "für alle" in the form. */
export async function manageableTeams(db: DbOrTx, actor: Viewer) {
  return teamsByIds(db, readableTeams(actor));
}

function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  return parsed.data;
}

async function checkScope(db: DbOrTx, actor: Viewer, input: TemplateInput, exceptId?: number): Promise<void> {
  if (!canManage(actor, input.teamId)) {
    const message =
      input.teamId === null
        ? 'Textbausteine für alle Teams legt die Verwaltung an. Bitte wählen Sie eines Ihrer Teams.'
        : 'Für dieses Team dürfen Sie keine Textbausteine anlegen.';
    throw invalid(message, { teamId: message });
  }
  if (input.teamId !== null && (await teamsByIds(db, [input.teamId])).length === 0) {
    throw invalid('Dieses Team gibt es nicht.', { teamId: 'Bitte wählen Sie ein Team aus der Liste.' });
  }
  if (await titleTaken(db, input.teamId, input.title, exceptId)) {
    const message = 'Einen Textbaustein mit diesem Namen gibt es hier schon.';
    throw new AppError('Conflict', message, { title: message });
  }
}

export async function createTemplate(deps: TemplatesDeps, actor: Viewer, raw: unknown): Promise<TemplateRow> {
  const input = parse(templateSchema, raw);
  const id = await deps.db.transaction(async (tx) => {
    await checkScope(tx, actor, input);
    const now = deps.clock.now();
    const [row] = await tx
      .insert(replyTemplates)
      .values({ ...input, updatedBy: actor.id, createdAt: now, updatedAt: now })
      .returning({ id: replyTemplates.id });
    if (!row) throw new Error('template insert returned nothing');
    return row.id;
  });
  deps.log.info({ actor: actor.id, templateId: id, teamId: input.teamId }, 'reply template created');
  return (await findTemplate(deps.db, id)) as TemplateRow;
}

/** A template the actor may change; one of another team answers like a missing one. */
export async function editableTemplate(db: DbOrTx, actor: Viewer, id: number): Promise<TemplateRow> {
  const row = await findTemplate(db, id);
  if (!row || !canManage(actor, row.teamId)) {
    if (row && (row.teamId === null || actor.teamIds.includes(row.teamId))) throw new AppError('Forbidden', NOT_YOURS);
    throw notFound(GONE);
  }
  return row;
}

export async function updateTemplate(deps: TemplatesDeps, actor: Viewer, id: number, raw: unknown): Promise<void> {
  const input = parse(templateSchema, raw);
  await deps.db.transaction(async (tx) => {
    await editableTemplate(tx, actor, id);
    await checkScope(tx, actor, input, id);
    await tx
      .update(replyTemplates)
      .set({ ...input, updatedBy: actor.id, updatedAt: deps.clock.now() })
      .where(eq(replyTemplates.id, id));
  });
  deps.log.info({ actor: actor.id, templateId: id }, 'reply template updated');
}

export async function deleteTemplate(deps: TemplatesDeps, actor: Viewer, id: number): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await editableTemplate(tx, actor, id);
    await tx.delete(replyTemplates).where(eq(replyTemplates.id, id));
  });
  deps.log.info({ actor: actor.id, templateId: id }, 'reply template deleted');
}

/** Signature and round-robin of a team: its members and admins decide how the team works. */
export async function saveTeamSettings(deps: TemplatesDeps, actor: Viewer, teamId: number, raw: unknown): Promise<TeamSettingsInput> {
  if (!canManage(actor, teamId)) throw notFound('Dieses Team gibt es nicht, oder Sie gehören nicht dazu.');
  const input = parse(teamSettingsSchema, raw);
  await deps.db.transaction(async (tx) => {
    if ((await teamsByIds(tx, [teamId])).length === 0) throw notFound('Dieses Team gibt es nicht (mehr).');
    const now = deps.clock.now();
    await tx
      .insert(teamSettings)
      .values({ teamId, ...input, updatedAt: now })
      .onConflictDoUpdate({ target: teamSettings.teamId, set: { ...input, updatedAt: now } });
  });
  // Intake reads round-robin from the reference data.
  invalidateReferenceData(deps.db);
  deps.log.info({ actor: actor.id, teamId, roundRobin: input.roundRobin }, 'team settings saved');
  return input;
}

/**
 * The templates offered on a case page: those for everyone, the case's team's, and the clerk's
 * own teams' (a case in triage has no team yet, and the Leitstelle answers it with its own).
 */
export async function templatesForCase(db: DbOrTx, actor: Viewer, caseTeamId: number | null): Promise<TemplateRow[]> {
  const ids = [...new Set([...actor.teamIds, ...(caseTeamId === null ? [] : [caseTeamId])])];
  return listTemplates(db, ids);
}
