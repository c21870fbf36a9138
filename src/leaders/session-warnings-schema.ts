import { z } from 'zod';

/** What stands in the way of running a session safely, as the session and its register answer it. */
export const SessionWarnings = z
  .array(z.object({ kind: z.enum(['ratio', 'first_aid', 'risk_review', 'pvg']), message: z.string() }))
  .describe('Too few leaders for the people likely to come, no first aid on the day, a risk review overdue, a volunteer leader with no current PVG record');
