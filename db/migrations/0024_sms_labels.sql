-- A group's discreet name in each language texts go in (issue 32): JSON { "ar": "…", "pl": "…" }.
-- sms_label is the English one; a language with no label here uses its own neutral words.
ALTER TABLE community_groups ADD COLUMN sms_labels TEXT;
