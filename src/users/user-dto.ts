import { z } from 'zod';
import { ROLES, type Role } from '../db/schema.js';

export const UserDto = z.object({
  id: z.number().int(),
  practiceId: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  disabled: z.boolean().describe('No open membership in this practice: cannot sign in to it'),
  programmeAdmin: z.literal(true).optional(),
  signIn: z
    .object({ nhsOnly: z.boolean(), nhsAccountLinked: z.boolean() })
    .optional()
    .describe('How the person signs in: by NHS account only, and whether an NHS account is linked yet'),
});

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
  nhs_only?: number;
  oidc_subject?: string | null;
}): z.input<typeof UserDto> {
  return {
    id: u.id,
    practiceId: (u.practiceId ?? u.practice_id)!,
    email: u.email,
    name: u.name,
    role: u.role,
    disabled: (u.disabled_at ?? null) !== null,
    ...(u.nhs_only !== undefined && { signIn: { nhsOnly: u.nhs_only === 1, nhsAccountLinked: (u.oidc_subject ?? null) !== null } }),
    ...(u.programmeAdmin && { programmeAdmin: true }),
  };
}
