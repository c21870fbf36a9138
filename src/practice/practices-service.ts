import type { Db } from '../db/schema.js';
import type { Clock } from '../lib/time/clock.js';
import { atomic } from '../db/atomic.js';
import { createPractice } from '../users/users-service.js';

/** A new practice in the programme; whoever creates it is its first admin, so they can add its users. */
export function addPractice(db: Db, clock: Clock, creatorId: number, input: { name: string; code: string | null; timezone?: string }) {
  // A practice and its first admin land together: never a practice nobody can manage.
  return atomic(db, async (tx) => {
    const practice = await createPractice(tx, clock, input.name, input.timezone, input.code);
    await tx
      .insertInto('memberships')
      .values({ user_id: creatorId, practice_id: practice.id, role: 'admin', disabled_at: null, created_at: clock.now().getTime() })
      .execute();
    return practice;
  });
}

/**
 * A practice named on the command line by its code or its name; left out, the only practice.
 * An unknown one is refused rather than guessed.
 */
export async function findPractice(db: Db, codeOrName: string | undefined) {
  const all = await db.selectFrom('practices').select(['id', 'name', 'code']).orderBy('id').execute();
  if (codeOrName === undefined) {
    if (all.length === 1) return all[0]!;
    throw new Error(`There are ${all.length} practices: say which with --practice CODE|NAME (${all.map((p) => p.code ?? p.name).join(', ')})`);
  }
  const wanted = codeOrName.trim().toLowerCase();
  const found = all.find((p) => p.code?.toLowerCase() === wanted) ?? all.find((p) => p.name.toLowerCase() === wanted);
  if (!found) throw new Error(`No practice with code or name "${codeOrName}" (known: ${all.map((p) => p.code ?? p.name).join(', ')})`);
  return found;
}
