import { eq } from 'drizzle-orm';
import type { Db } from '../../../infra/db.ts';
import { amtsblattRoleNames, amtsblattRoles, postKindSettings, postKinds, users } from '../../../infra/schema/index.ts';

/**
 * The admin's settings of the desk: each staff member's role (none, editor, approver) and which
 * kinds need a second person's approval (official notices always do).
 */
export async function saveDeskSettings(db: Db, body: Record<string, unknown>, now: Date): Promise<void> {
  const staff = await db.select({ id: users.id }).from(users).where(eq(users.active, true));
  await db.transaction(async (tx) => {
    for (const { id } of staff) {
      const value = body[`role_${id}`];
      if (value === undefined) continue;
      const role = amtsblattRoleNames.find((r) => r === value);
      if (!role) await tx.delete(amtsblattRoles).where(eq(amtsblattRoles.userId, id));
      else
        await tx.insert(amtsblattRoles).values({ userId: id, role }).onConflictDoUpdate({ target: amtsblattRoles.userId, set: { role } });
    }
    for (const kind of postKinds) {
      if (kind === 'notice') continue;
      const requiresApproval = body[`approval_${kind}`] === 'yes';
      await tx
        .insert(postKindSettings)
        .values({ kind, requiresApproval, updatedAt: now })
        .onConflictDoUpdate({ target: postKindSettings.kind, set: { requiresApproval, updatedAt: now } });
    }
  });
}
