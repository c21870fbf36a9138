import type { Db, Group } from '../db/schema.js';
import { publishProblems } from './publish-check.js';
import { publicGroups, publicSessions, type PublicGroup } from './public-listing.js';
import { GroupSection } from './whats-on-page.js';

/** What the public will see of this group, before (or while) it is published: the what's-on entry itself. */
export async function ListingPreview(p: { db: Db; group: Group; now: number }) {
  const g = p.group;
  const venue = await p.db.selectFrom('venues').select(['address', 'postcode']).where('id', '=', g.venue_id).executeTakeFirst();
  const missing = publishProblems(g, venue);
  // As a published group would be read, whether or not it is published yet.
  const [listed] = missing.length ? [] : await publicGroups(p.db, { groupId: g.id, includeUnpublished: true });
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">What the public will see</h2>
      {listed ? (
        <div class="preview">
          <GroupSection g={listed as PublicGroup} sessions={(await publicSessions(p.db, [listed], p.now)).get(g.id) ?? []} pageUrl="/whats-on" />
        </div>
      ) : (
        <p>Nothing yet: it still needs {missing.join(', ')}.</p>
      )}
    </section>
  );
}
