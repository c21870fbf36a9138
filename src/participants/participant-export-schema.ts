import { z } from 'zod';
import { ReferralDto } from '../referrals/referral-schemas.js';
import { ConcernDto } from '../concerns/concern-dto.js';
import { Ms, ParticipantDto } from './participant-schemas.js';

/** Everything held about one person, as a subject access request answers it. */
export const ParticipantExport = z.object({
  exportedAt: Ms,
  participant: ParticipantDto,
  enrolments: z.array(
    z.object({
      groupId: z.number().int(),
      groupName: z.string(),
      status: z.enum(['active', 'waitlisted', 'withdrawn']),
      referralSource: z.string().nullable(),
      referralReason: z.string().nullable(),
      requestedAt: Ms,
      enrolledAt: Ms,
      withdrawnAt: Ms,
    }),
  ),
  attendance: z.array(z.object({ groupName: z.string(), sessionStartsAt: Ms, status: z.string(), dropIn: z.boolean(), recordedAt: Ms })),
  messages: z.array(
    z.object({ direction: z.string(), kind: z.string(), text: z.string().nullable(), status: z.string(), number: z.string().nullable(), at: Ms }),
  ),
  concerns: z.array(ConcernDto),
  referrals: z.array(ReferralDto.omit({ givenName: true, familyName: true, participantId: true })),
  accessLog: z.array(z.object({ action: z.string(), at: Ms, byUserId: z.number().int().nullable() })),
});
