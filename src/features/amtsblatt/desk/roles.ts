import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../infra/db.ts';
import { forbidden } from '../../../infra/errors.ts';
import { type AmtsblattRoleName, amtsblattRoles, type PostKind, postKindSettings, users } from '../../../infra/schema/index.ts';

/** Who acts on the desk: the signed-in staff member, narrowed to what the rules need. */
export interface DeskActor {
  id: number;
  role: 'admin' | 'staff';
}

/** The desk role of a user read fresh from the database, so a role taken away counts at once. */
export async function deskRoleOf(db: DbOrTx, actor: DeskActor): Promise<AmtsblattRoleName | 'admin' | null> {
  const [row] = await db
    .select({ active: users.active, role: users.role, desk: amtsblattRoles.role })
    .from(users)
    .leftJoin(amtsblattRoles, eq(amtsblattRoles.userId, users.id))
    .where(eq(users.id, actor.id));
  if (!row?.active) return null;
  return row.role === 'admin' ? 'admin' : (row.desk ?? null);
}

export async function requireWriter(db: DbOrTx, actor: DeskActor): Promise<void> {
  if (!(await deskRoleOf(db, actor))) {
    throw forbidden('Beiträge für das Amtsblatt schreiben nur Mitglieder der Redaktion. Die Verwaltung kann Sie dafür eintragen.');
  }
}

/**
 * The four-eyes rule: an approver or an admin, never the author of the post; checked in the
 * approving transaction, so an approver removed a moment earlier cannot approve any more.
 */
export async function requireApprover(db: DbOrTx, actor: DeskActor, post: { authorId: number | null }): Promise<void> {
  const role = await deskRoleOf(db, actor);
  if (role !== 'approver' && role !== 'admin') {
    throw forbidden('Freigeben dürfen nur Personen mit Freigaberecht für das Amtsblatt.');
  }
  if (post.authorId === actor.id) {
    throw forbidden('Den eigenen Beitrag können Sie nicht freigeben: Das Vier-Augen-Prinzip verlangt eine zweite Person.');
  }
}

/** Official notices always need a second person; the others as the admins set it (default: yes). */
export async function requiresApproval(db: DbOrTx, kind: PostKind): Promise<boolean> {
  if (kind === 'notice') return true;
  const [row] = await db.select().from(postKindSettings).where(eq(postKindSettings.kind, kind));
  return row?.requiresApproval ?? true;
}
