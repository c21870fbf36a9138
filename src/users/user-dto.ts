import type { Role } from '../db/schema.js';

/** The API's view of a user: never the password hash. */
export function toUserDto(u: {
  id: number;
  practiceId?: number;
  practice_id?: number;
  email: string;
  name: string;
  role: Role;
  disabled_at?: number | null;
  programmeAdmin?: boolean;
}) {
  return {
    id: u.id,
    practiceId: u.practiceId ?? u.practice_id,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: (u.disabled_at ?? null) !== null,
    ...(u.programmeAdmin && { programmeAdmin: true }),
  };
}
