import type { z } from 'zod';
import { toZonedIso } from '../lib/time/time.js';
import type { ReferralView } from './referral-reads.js';
import type { ReferralDto } from './referral-schemas.js';

/** A referral as the API answers it, times in the practice's zone. */
export function toReferralDto(r: ReferralView, zone: string): z.input<typeof ReferralDto> {
  return {
    id: r.id,
    status: r.status,
    participantId: r.participantId,
    givenName: r.givenName,
    familyName: r.familyName,
    reason: r.reason,
    needs: r.needs,
    suggestedGroupId: r.suggestedGroupId,
    groupId: r.groupId,
    groupName: r.groupName,
    consent: { toBeReferred: true as const, shareWithReferrer: r.shareWithReferrer },
    referrer: r.referrer,
    receivedAt: toZonedIso(r.receivedAt, zone),
    history: r.history.map((h) => ({ status: h.status, at: toZonedIso(h.at, zone), by: h.by, ...(h.reason !== null && { reason: h.reason }) })),
  };
}
