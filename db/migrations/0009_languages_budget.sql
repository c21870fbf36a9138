-- Texts in people's own languages, wording a practice can change, and a known cost (issue 15).

-- A practice's own wording for a template in a language; the files under templates/sms are the defaults.
CREATE TABLE sms_templates (
  practice_id INTEGER NOT NULL REFERENCES practices(id),
  language TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  updated_by INTEGER REFERENCES users(id),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (practice_id, language, name)
);

-- The language a text was written in, whether it fell back to English, and what it cost.
ALTER TABLE messages ADD COLUMN language TEXT;
ALTER TABLE messages ADD COLUMN fell_back_to_english INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN segments INTEGER;
CREATE INDEX messages_practice_sent ON messages(practice_id, sent_at) WHERE sent_at IS NOT NULL;

-- SMS segments a practice means to spend in a calendar month; null: no limit.
ALTER TABLE practices ADD COLUMN sms_monthly_budget INTEGER CHECK (sms_monthly_budget IS NULL OR sms_monthly_budget > 0);

-- preferred_language was free text; it is now a BCP 47 tag. Names of the languages we write in become tags.
UPDATE participants SET preferred_language = CASE lower(trim(preferred_language))
  WHEN 'english' THEN 'en' WHEN 'arabic' THEN 'ar' WHEN 'farsi' THEN 'fa' WHEN 'persian' THEN 'fa' WHEN 'dari' THEN 'fa'
  WHEN 'farsi (persian)' THEN 'fa' WHEN 'sorani' THEN 'ckb' WHEN 'sorani kurdish' THEN 'ckb' WHEN 'kurdish (sorani)' THEN 'ckb'
  WHEN 'central kurdish' THEN 'ckb' WHEN 'tigrinya' THEN 'ti' WHEN 'urdu' THEN 'ur' WHEN 'pashto' THEN 'ps' WHEN 'pushto' THEN 'ps'
  WHEN 'polish' THEN 'pl' WHEN 'romanian' THEN 'ro' WHEN 'slovak' THEN 'sk' WHEN 'ukrainian' THEN 'uk'
  ELSE preferred_language END
WHERE preferred_language IS NOT NULL;
