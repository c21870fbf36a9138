import type { Db } from '../db/schema.js';

/** The caller's own practice: name, monitoring code and zone. */
export async function getPractice(db: Db, id: number) {
  return db.selectFrom('practices').select(['id', 'name', 'code', 'timezone']).where('id', '=', id).executeTakeFirstOrThrow();
}

export async function updatePractice(db: Db, id: number, input: { name?: string; code?: string | null }) {
  await db
    .updateTable('practices')
    .set({ ...(input.name !== undefined && { name: input.name }), ...(input.code !== undefined && { code: input.code }) })
    .where('id', '=', id)
    .execute();
  return getPractice(db, id);
}
