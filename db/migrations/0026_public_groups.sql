-- Groups in public (issue 36): off by default; a public group has its own name, summary and
-- contact, a stable UUID for directories (Open Referral UK), and when its listing last changed
-- and was last re-confirmed on ALISS (which has no API to post to).
ALTER TABLE community_groups ADD COLUMN public INTEGER NOT NULL DEFAULT 0;
ALTER TABLE community_groups ADD COLUMN public_name TEXT;
ALTER TABLE community_groups ADD COLUMN public_summary TEXT;
ALTER TABLE community_groups ADD COLUMN public_contact TEXT;
ALTER TABLE community_groups ADD COLUMN public_uuid TEXT;
ALTER TABLE community_groups ADD COLUMN listing_changed_at INTEGER;
ALTER TABLE community_groups ADD COLUMN aliss_confirmed_at INTEGER;
CREATE UNIQUE INDEX community_groups_public_uuid ON community_groups(public_uuid);
CREATE INDEX community_groups_public ON community_groups(public, practice_id);
ALTER TABLE venues ADD COLUMN postcode TEXT;
