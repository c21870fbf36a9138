import type { DbOrTx, Group, Venue } from '../db/schema.js';
import { unprocessable } from '../lib/errors.js';
import { addressParts } from './public-words.js';

export interface PublicContact {
  phone?: string;
  email?: string;
  url?: string;
}

export const contactOf = (g: Pick<Group, 'public_contact'>): PublicContact => (g.public_contact ? (JSON.parse(g.public_contact) as PublicContact) : {});

/**
 * What stops a group being listed in public, in words an admin can act on: a public name, a
 * summary of 50 to 200 characters, one way to get in touch, and a venue with an address and a UK
 * postcode (every directory asks for them).
 */
export function publishProblems(
  g: Pick<Group, 'public_name' | 'public_summary' | 'public_contact'>,
  venue: Pick<Venue, 'address' | 'postcode'> | undefined,
): string[] {
  const problems: string[] = [];
  if (!g.public_name) problems.push('a public name (it may differ from the name the practice uses)');
  if (!g.public_summary) problems.push('a summary of 50 to 200 characters');
  const contact = contactOf(g);
  if (!contact.phone && !contact.email && !contact.url) problems.push('a contact: a phone number, an email address or a web page');
  if (!venue?.address) problems.push("the venue's address");
  else if (!addressParts(venue.address).town) problems.push("the venue's town, on the address's last line (like 103 Balmore Road, Glasgow)");
  if (!venue?.postcode) problems.push("the venue's postcode");
  return problems;
}

/** Refuses (422, nothing written) to make or keep a group public while anything a listing needs is missing. */
export async function assertPublishable(db: DbOrTx, practiceId: number, g: Pick<Group, 'public_name' | 'public_summary' | 'public_contact'>, venueId: number) {
  const venue = await db
    .selectFrom('venues')
    .select(['address', 'postcode'])
    .where('practice_id', '=', practiceId)
    .where('id', '=', venueId)
    .executeTakeFirst();
  const problems = publishProblems(g, venue);
  if (problems.length) throw unprocessable(`A public group needs ${problems.join(', ')}`, { problems });
}
