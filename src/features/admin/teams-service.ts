import { and, eq, ne, sql } from 'drizzle-orm';
import type { Tx } from '../../infra/db.ts';
import { AppError, fieldErrors, invalid, notFound } from '../../infra/errors.ts';
import { teams } from '../../infra/schema/index.ts';
import { slugify, uniqueSlug } from '../../infra/slug.ts';
import { invalidateReferenceData } from '../cases/reference-data.ts';
import { allTeamSlugs, findTeam, type TeamRow } from './queries.ts';
import { type TeamInput, teamSchema } from './schemas.ts';
import type { AdminActor, AdminDeps } from './users-service.ts';

const duplicateName = 'Ein Team mit diesem Namen gibt es schon.';

async function ensureNameFree(tx: Tx, name: string, exceptId?: number): Promise<void> {
  const sameName = sql`lower(${teams.name}) = ${name.toLowerCase()}`;
  const [clash] = await tx
    .select({ id: teams.id })
    .from(teams)
    .where(exceptId === undefined ? sameName : and(sameName, ne(teams.id, exceptId)));
  if (clash) throw new AppError('Conflict', duplicateName, { name: duplicateName });
}

function parse(raw: TeamInput) {
  const parsed = teamSchema.safeParse(raw);
  if (!parsed.success) throw invalid('Bitte prüfen Sie die Angaben.', fieldErrors(parsed.error));
  return parsed.data;
}

/** The slug is made once from the name and never changes: the CLI and routing rules refer to it. */
export async function createTeam(deps: AdminDeps, actor: AdminActor, raw: TeamInput): Promise<TeamRow> {
  const input = parse(raw);
  const team = await deps.db.transaction(async (tx) => {
    await ensureNameFree(tx, input.name);
    const slug = uniqueSlug(slugify(input.name), new Set(await allTeamSlugs(tx)));
    const [row] = await tx
      .insert(teams)
      .values({
        slug,
        name: input.name,
        email: input.email,
        ...(input.followupAfterClose ? { followupAfterClose: input.followupAfterClose } : {}),
      })
      .returning({ id: teams.id });
    const created = row && (await findTeam(tx, row.id));
    if (!created) throw new Error('insert returned no row');
    return created;
  });
  invalidateReferenceData(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'cli', teamId: team.id, slug: team.slug }, 'team created');
  return team;
}

export async function updateTeam(deps: AdminDeps, actor: AdminActor, id: number, raw: TeamInput): Promise<TeamRow> {
  const input = parse(raw);
  const team = await deps.db.transaction(async (tx) => {
    if (!(await findTeam(tx, id))) throw notFound('Dieses Team gibt es nicht (mehr).');
    await ensureNameFree(tx, input.name, id);
    await tx
      .update(teams)
      .set({ name: input.name, email: input.email, ...(input.followupAfterClose ? { followupAfterClose: input.followupAfterClose } : {}) })
      .where(eq(teams.id, id));
    const updated = await findTeam(tx, id);
    if (!updated) throw notFound('Dieses Team gibt es nicht (mehr).');
    return updated;
  });
  invalidateReferenceData(deps.db);
  deps.log.info({ actor: actor?.userId ?? 'cli', teamId: id }, 'team updated');
  return team;
}
