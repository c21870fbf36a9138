import { sql } from 'kysely';
import type { AppConfig } from '../../config.js';
import type { Db } from '../../db/schema.js';
import { notFound, unprocessable } from '../../lib/errors.js';
import { round } from '../../lib/numbers.js';
import { DEFAULT_SMS_PRICE } from '../../lib/money.js';
import { canonicalTag, languageName, primarySubtag, TEXT_LANGUAGES } from './languages.js';
import { SENDABLE_SQL } from './message-context.js';
import { practiceTemplates, type PracticeTemplates } from './practice-templates.js';
import { previewTemplate, type TemplatePreview } from './template-preview.js';
import { LANGUAGE_NEUTRAL, TEMPLATE_NAMES, TEMPLATE_PLACEHOLDERS, TEMPLATE_TITLES, type TemplateLibrary, type TemplateName } from './templates.js';

export const smsPriceOf = (config: AppConfig) => config.smsPrice ?? DEFAULT_SMS_PRICE;

export function isTemplateName(name: string): name is TemplateName {
  return (TEMPLATE_NAMES as string[]).includes(name);
}

/** The language part of a path: a tag we know, or any well-formed one a practice adds wording for. */
export function templateLanguage(tag: string): string {
  const canonical = canonicalTag(tag);
  if (!canonical) throw notFound('Language');
  return primarySubtag(canonical);
}

export interface TemplateEntry {
  language: string;
  languageName: string;
  name: TemplateName;
  title: string;
  placeholders: readonly string[];
  /** practice: this practice's own words; file: the default file; english: none in this language, English goes. */
  source: 'practice' | 'file' | 'english';
  /** The default file is a draft translation not yet checked by a community interpreter. */
  needsCheck: boolean;
  body: string;
  defaultBody: string | null;
}

function entry(t: PracticeTemplates, lang: string, name: TemplateName): TemplateEntry {
  const own = t.own(name, lang);
  const file = t.library[lang]?.[name];
  return {
    language: lang,
    languageName: languageName(lang) ?? lang,
    name,
    title: TEMPLATE_TITLES[name],
    placeholders: TEMPLATE_PLACEHOLDERS[name],
    source: own?.source ?? 'english',
    needsCheck: own?.source === 'file' && (file?.needsCheck ?? false),
    body: t.body(name, lang),
    defaultBody: file?.body ?? null,
  };
}

/** Languages shown in the editor: ours, and any a practice has added wording in. */
async function practiceLanguages(db: Db, practiceId: number): Promise<string[]> {
  const added = await db.selectFrom('sms_templates').select('language').distinct().where('practice_id', '=', practiceId).execute();
  return [...new Set([...TEXT_LANGUAGES.map((l) => l.tag), ...added.map((a) => a.language)])];
}

export async function listTemplates(db: Db, library: TemplateLibrary, practiceId: number): Promise<TemplateEntry[]> {
  const t = await practiceTemplates(db, library, practiceId);
  const out: TemplateEntry[] = [];
  for (const lang of await practiceLanguages(db, practiceId)) {
    for (const name of TEMPLATE_NAMES) {
      if (LANGUAGE_NEUTRAL.has(name) && lang !== 'en') continue;
      out.push(entry(t, lang, name));
    }
  }
  return out;
}

export async function getTemplate(db: Db, library: TemplateLibrary, practiceId: number, lang: string, name: TemplateName): Promise<TemplateEntry> {
  if (LANGUAGE_NEUTRAL.has(name) && lang !== 'en') throw notFound('Template');
  return entry(await practiceTemplates(db, library, practiceId), lang, name);
}

export interface Costing {
  preview: TemplatePreview;
  price: { perSegment: number; currency: string };
  costPerText: number;
  perMonth: { texts: number; segments: number; cost: number; basis: string; groupId: number | null };
}

/** Texts of one kind a group (or the whole practice) gets in a month, in this language. */
async function textsPerMonth(db: Db, t: PracticeTemplates, practiceId: number, lang: string, name: TemplateName, groupId: number | null, now: number) {
  const inLang = (preferred: string | null) => t.languageFor(name, preferred).lang === lang;
  const group = groupId === null ? sql`` : sql`AND g.id = ${groupId}`;
  if (name === 'reminder') {
    // Reminders are known ahead: sessions in the next 30 days × people who get texts × reminders a session.
    const rows = await sql<{ preferred_language: string | null; sessions: number; offsets: string }>`
      SELECT p.preferred_language, g.reminder_offsets AS offsets,
             (SELECT COUNT(*) FROM sessions s WHERE s.group_id = g.id AND s.status = 'scheduled'
                AND s.starts_at > ${now} AND s.starts_at <= ${now + 30 * 86_400_000}) AS sessions
      FROM community_groups g
      JOIN enrolments e ON e.group_id = g.id AND e.status = 'active'
      JOIN participants p ON p.id = e.participant_id
      WHERE g.practice_id = ${practiceId} AND g.status = 'active' ${group} AND ${sql.raw(SENDABLE_SQL)}`.execute(db);
    const texts = rows.rows.filter((r) => inLang(r.preferred_language)).reduce((n, r) => n + r.sessions * (JSON.parse(r.offsets) as number[]).length, 0);
    return { texts, basis: 'reminders due in the next 30 days to people who get texts in this language' };
  }
  const rows = await sql<{ preferred_language: string | null; n: number }>`
    SELECT p.preferred_language, COUNT(*) AS n FROM messages m
    JOIN participants p ON p.id = m.participant_id
    LEFT JOIN community_groups g ON g.id = m.group_id
    WHERE m.practice_id = ${practiceId} AND m.kind = ${name} AND m.sent_at >= ${now - 30 * 86_400_000} ${group}
    GROUP BY p.preferred_language`.execute(db);
  const texts = rows.rows.filter((r) => inLang(r.preferred_language)).reduce((n, r) => n + Number(r.n), 0);
  return { texts, basis: 'texts of this kind sent in the last 30 days to people who get texts in this language' };
}

/** A template's preview with long realistic values, its encoding and segments, and what it costs. */
export async function costTemplate(
  db: Db,
  library: TemplateLibrary,
  config: AppConfig,
  practiceId: number,
  lang: string,
  name: TemplateName,
  body: string,
  groupId: number | null,
  now: number,
): Promise<Costing> {
  const t = await practiceTemplates(db, library, practiceId);
  const practice = await db.selectFrom('practices').select(['name', 'timezone']).where('id', '=', practiceId).executeTakeFirstOrThrow();
  if (groupId !== null) {
    const g = await db.selectFrom('community_groups').select('id').where('id', '=', groupId).where('practice_id', '=', practiceId).executeTakeFirst();
    if (!g) throw notFound('Group');
  }
  const preview = previewTemplate(t, name, lang, body, practice.name, practice.timezone);
  const price = smsPriceOf(config);
  const month = name.startsWith('group_label')
    ? { texts: 0, basis: 'a phrase inside other texts' }
    : await textsPerMonth(db, t, practiceId, lang, name, groupId, now);
  const segments = month.texts * preview.segments.segments;
  return {
    preview,
    price,
    costPerText: round(preview.segments.segments * price.perSegment, 4),
    perMonth: { texts: month.texts, segments, cost: round(segments * price.perSegment, 4), basis: month.basis, groupId },
  };
}

/** Saves a practice's own wording, refusing one with an unknown placeholder or too long to send. */
export async function saveTemplate(
  db: Db,
  library: TemplateLibrary,
  config: AppConfig,
  practiceId: number,
  userId: number,
  lang: string,
  name: TemplateName,
  body: string,
  now: number,
): Promise<TemplateEntry> {
  if (LANGUAGE_NEUTRAL.has(name) && lang !== 'en') throw notFound('Template');
  const { preview } = await costTemplate(db, library, config, practiceId, lang, name, body, null, now);
  if (preview.problems.length > 0) throw unprocessable(`This wording cannot be used: ${preview.problems.join('; ')}`, { problems: preview.problems, preview });
  await db
    .insertInto('sms_templates')
    .values({ practice_id: practiceId, language: lang, name, body, updated_by: userId, updated_at: now })
    .onConflict((oc) => oc.columns(['practice_id', 'language', 'name']).doUpdateSet({ body, updated_by: userId, updated_at: now }))
    .execute();
  return getTemplate(db, library, practiceId, lang, name);
}

/** Removes a practice's own wording: the file's words (or English) go again. */
export async function resetTemplate(db: Db, library: TemplateLibrary, practiceId: number, lang: string, name: TemplateName): Promise<TemplateEntry> {
  await db.deleteFrom('sms_templates').where('practice_id', '=', practiceId).where('language', '=', lang).where('name', '=', name).execute();
  return getTemplate(db, library, practiceId, lang, name);
}
