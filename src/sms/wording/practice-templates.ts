import type { DbOrTx } from '../../db/schema.js';
import { primarySubtag } from './languages.js';
import { LANGUAGE_NEUTRAL, type TemplateLibrary, type TemplateName } from './templates.js';

export type TemplateSourceKind = 'practice' | 'file';

/**
 * One practice's wording: its own overrides first, then the files. A text goes in the person's
 * language when that language has wording for it, and in English otherwise, saying so.
 */
export class PracticeTemplates {
  constructor(
    readonly library: TemplateLibrary,
    private readonly overrides: ReadonlyMap<string, string>,
  ) {}

  /** The wording in exactly this language, and where it comes from; undefined when there is none. */
  own(name: TemplateName, lang: string): { body: string; source: TemplateSourceKind } | undefined {
    const override = this.overrides.get(`${lang}/${name}`);
    if (override !== undefined) return { body: override, source: 'practice' };
    const file = this.library[lang]?.[name];
    return file ? { body: file.body, source: 'file' } : undefined;
  }

  /** Which language a text goes in for someone who prefers `preferred` (any BCP 47 tag, or none). */
  languageFor(name: TemplateName, preferred: string | null): { lang: string; fellBack: boolean } {
    if (LANGUAGE_NEUTRAL.has(name)) return { lang: 'en', fellBack: false };
    const want = preferred ? primarySubtag(preferred) : 'en';
    if (this.own(name, want)) return { lang: want, fellBack: false };
    return { lang: 'en', fellBack: want !== 'en' };
  }

  /** The wording in `lang`, or in English where that language has none. */
  body(name: TemplateName, lang: string): string {
    return (this.own(name, lang) ?? this.own(name, 'en'))!.body;
  }
}

export async function practiceTemplates(db: DbOrTx, library: TemplateLibrary, practiceId: number): Promise<PracticeTemplates> {
  const rows = await db.selectFrom('sms_templates').select(['language', 'name', 'body']).where('practice_id', '=', practiceId).execute();
  return new PracticeTemplates(library, new Map(rows.map((r) => [`${r.language}/${r.name}`, r.body])));
}

/** Each practice's wording read once for a pass over many texts (planning, dispatching). */
export function templateSource(db: DbOrTx, library: TemplateLibrary): (practiceId: number) => Promise<PracticeTemplates> {
  const seen = new Map<number, Promise<PracticeTemplates>>();
  return (practiceId) => {
    let t = seen.get(practiceId);
    if (!t) seen.set(practiceId, (t = practiceTemplates(db, library, practiceId)));
    return t;
  };
}
