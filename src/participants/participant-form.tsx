import { type Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { ErrorSummary, FieldError, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/forms/form-errors.js';
import type { Participant } from '../db/schema.js';
import { languageName, TEXT_LANGUAGES } from '../sms/wording/languages.js';
import { Csrf, Layout } from '../web/layout.js';
import { SelectField, TextAreaField, TextField, Tick } from '../web/forms/fields.js';
import { str, type WebEnv } from '../web/web-auth.js';

/** The languages texts exist in, by name in English and in their own script; any other tag kept as it is. */
export function LanguageSelect(p: { value: string | null; problems: FieldProblem[] }) {
  const known = TEXT_LANGUAGES.some((l) => l.tag === p.value);
  return (
    <>
      <label for="preferredLanguage">Preferred language</label>
      <p id="languageHelp" class="muted">
        Texts go in this language; where we have no wording in it, in English.
      </p>
      <FieldError field="preferredLanguage" problems={p.problems} />
      <select id="preferredLanguage" name="preferredLanguage" aria-describedby="languageHelp">
        <option value="">Not recorded (texts in English)</option>
        {TEXT_LANGUAGES.map((l) => (
          <option value={l.tag} selected={p.value === l.tag}>
            {languageName(l.tag)}
          </option>
        ))}
        {p.value && !known && (
          <option value={p.value} selected>
            {p.value} (texts in English)
          </option>
        )}
      </select>
    </>
  );
}

const CONSENT_METHODS = [
  ['verbal', 'Said so in person or by phone'],
  ['written', 'In writing'],
  ['text_reply', 'By text'],
  ['online', 'Online'],
] as const;

const GENDERS = [
  ['', 'Not recorded'],
  ['female', 'Female'],
  ['male', 'Male'],
  ['non_binary', 'Non-binary'],
  ['other', 'Other'],
  ['prefer_not_to_say', 'Prefers not to say'],
] as const;

type Section = { x: Participant | undefined; problems: FieldProblem[] };

export function ParticipantForm(p: { action: string; csrf: string; person?: Participant; back?: string; editing?: boolean; problems?: FieldProblem[] }) {
  const x = p.person;
  const problems = p.problems ?? [];
  return (
    <form novalidate method="post" action={p.action}>
      <ErrorSummary problems={problems} />
      <Csrf token={p.csrf} />
      {p.back && <input type="hidden" name="back" value={p.back} />}
      <TextField name="givenName" label="Given name" maxlength={100} value={x?.given_name ?? ''} problems={problems} />
      <TextField name="familyName" label="Family name (optional)" maxlength={100} value={x?.family_name ?? ''} problems={problems} />
      <TextField
        name="phone"
        label="Mobile number"
        hint="UK mobiles like 07700 900123; other countries with + and the country code."
        type="tel"
        inputmode="tel"
        autocomplete="off"
        value={x?.phone ?? ''}
        problems={problems}
      />
      <TextsConsent x={x} problems={problems} />
      <LanguageSelect value={x?.preferred_language ?? null} problems={problems} />
      <TextField
        name="chiNumber"
        label="CHI number (optional)"
        hint="Ten digits, to match the practice's GP appointment counts. Only counts are kept, never reasons."
        inputmode="numeric"
        autocomplete="off"
        maxlength={12}
        value={x?.chi_number ?? ''}
        problems={problems}
      />
      <TextField
        name="programmeId"
        label="Programme ID (optional)"
        hint="The programme's pseudonymous ID, like P1000: it goes in the monitoring return instead of a name."
        autocomplete="off"
        maxlength={20}
        value={x?.programme_id ?? ''}
        problems={problems}
      />
      <AccessNeeds x={x} problems={problems} />
      <TextAreaField name="accessNeeds" label="Other access needs" rows={2} maxlength={1000} value={x?.access_needs ?? ''} problems={problems} />
      <SelectField name="gender" label="Gender (for funders' monitoring)" options={GENDERS} value={x?.gender ?? ''} problems={problems} />
      <p>
        <button type="submit">{(p.editing ?? !!x) ? 'Save changes' : 'Add participant'}</button>
      </p>
    </form>
  );
}

function TextsConsent({ x, problems }: Section) {
  return (
    <fieldset>
      <legend>Texts</legend>
      <FieldError field="smsConsent" problems={problems} />
      <Tick id="smsConsent" name="smsConsent" checked={x ? x.sms_consent === 1 : false}>
        Agreed to get texts
      </Tick>
      <SelectField name="smsConsentMethod" label="How they agreed" options={CONSENT_METHODS} value={x?.sms_consent_method ?? ''} problems={[]} />
      <Tick name="doNotText" checked={x?.do_not_text === 1}>
        Do not text (e.g. someone else reads their phone)
      </Tick>
    </fieldset>
  );
}

/** What a leader should see at a glance, and who may see the emergency contact. */
function AccessNeeds({ x, problems }: Section) {
  const languages = [['', 'Not recorded'] as const, ...TEXT_LANGUAGES.map((l) => [l.tag, languageName(l.tag) ?? l.tag] as const)];
  return (
    <fieldset>
      <legend>Access needs a leader should see at a glance</legend>
      <Tick name="interpreterNeeded" checked={x?.interpreter_needed === 1}>
        Needs an interpreter
      </Tick>
      <SelectField
        name="interpreterLanguage"
        label="Interpreter's language (optional)"
        options={languages}
        value={x?.interpreter_language ?? ''}
        problems={problems}
      />
      <TextField
        name="mobility"
        label="Mobility (optional)"
        maxlength={100}
        placeholder="e.g. walking stick, wheelchair"
        value={x?.mobility ?? ''}
        problems={problems}
      />
      <Tick name="transportArranged" checked={x?.transport_arranged === 1}>
        Comes by arranged transport
      </Tick>
      <TextField
        name="firstSessionSupport"
        label="First session: how to welcome them (optional)"
        maxlength={200}
        placeholder="e.g. meet at the gate"
        value={x?.first_session_support ?? ''}
        problems={problems}
      />
      <TextField
        name="emergencyContact"
        label="Emergency contact (optional)"
        maxlength={200}
        placeholder="Name and number"
        value={x?.emergency_contact ?? ''}
        problems={problems}
      />
      <Tick name="emergencyContactForLeaders" checked={x?.emergency_contact_for_leaders === 1}>
        They agreed their group's leaders may see it
      </Tick>
      <Tick name="outcomeTextConsent" checked={x?.outcome_text_consent === 1}>
        They agreed to be asked by text how happy they felt, when given a place and 8 weeks on (if the practice asks)
      </Tick>
    </fieldset>
  );
}

const PARTICIPANT_FIELDS: FieldRules = [
  ['givenName', 'givenName', 'Enter their given name, on one line, up to 100 characters'],
  ['familyName', 'familyName', 'Keep the family name to one line of 100 characters'],
  ['phone', 'phone', 'Enter a UK mobile like 07700 900123, or another country with + and its code'],
  ['smsConsent', 'smsConsent', 'Texts need a mobile number: add one, or untick "Agreed to get texts"'],
  ['smsConsentMethod', 'smsConsent', 'Choose how they agreed to texts'],
  ['preferredLanguage', 'preferredLanguage', 'Choose a language from the list'],
  ['chiNumber', 'chiNumber', 'A CHI number is 10 digits'],
  ['programmeId', 'programmeId', 'A programme ID is letters and digits only, like P1000'],
  ['interpreterLanguage', 'interpreterLanguage', "Choose the interpreter's language from the list"],
  ['mobility', 'mobility', 'Keep mobility to one line of 100 characters'],
  ['firstSessionSupport', 'firstSessionSupport', 'Keep this to one line of 200 characters'],
  ['emergencyContact', 'emergencyContact', 'Keep the emergency contact to one line of 200 characters'],
  ['accessNeeds', 'accessNeeds', 'Keep access needs to 1000 characters'],
  ['gender', 'givenName', 'Choose a gender from the list'],
];

/** The participant form's findings beside its fields; the phone and CHI rules say what is wrong in their own words. */
export function participantProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return problemsFor(issues, PARTICIPANT_FIELDS, true);
}

/** What was typed, in the shape the form reads, so nothing is lost when it comes back. */
function typedPerson(f: Record<string, string | string[]>): Participant {
  const yes = (v: string | string[] | undefined) => (str(v) === 'yes' ? 1 : 0);
  return {
    given_name: str(f.givenName),
    family_name: str(f.familyName),
    phone: str(f.phone),
    sms_consent: yes(f.smsConsent),
    sms_consent_method: str(f.smsConsentMethod),
    do_not_text: yes(f.doNotText),
    preferred_language: str(f.preferredLanguage) || null,
    interpreter_needed: yes(f.interpreterNeeded),
    access_needs: str(f.accessNeeds),
    gender: str(f.gender) || null,
    chi_number: str(f.chiNumber),
    programme_id: str(f.programmeId),
    interpreter_language: str(f.interpreterLanguage) || null,
    mobility: str(f.mobility),
    transport_arranged: yes(f.transportArranged),
    first_session_support: str(f.firstSessionSupport),
    emergency_contact: str(f.emergencyContact),
    emergency_contact_for_leaders: yes(f.emergencyContactForLeaders),
    outcome_text_consent: yes(f.outcomeTextConsent),
  } as Participant;
}

export function participantFormAgain(
  c: Context<WebEnv>,
  title: string,
  action: string,
  editing: boolean,
  f: Record<string, string | string[]>,
  problems: FieldProblem[],
) {
  return c.html(
    <Layout title={titleWith(problems, title)} user={c.var.user} csrf={c.var.csrf}>
      <ParticipantForm action={action} csrf={c.var.csrf} person={typedPerson(f)} editing={editing} back={str(f.back) || undefined} problems={problems} />
    </Layout>,
    400,
  );
}

/** A CHI number another person here already has is a problem with that field, not a separate page. */
export async function withChiProblem<T>(
  c: Context<WebEnv>,
  title: string,
  action: string,
  editing: boolean,
  f: Record<string, string | string[]>,
  work: () => Promise<T>,
): Promise<T | Response> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code === 'conflict' && /CHI/.test(err.message))
      return participantFormAgain(c, title, action, editing, f, [
        { field: 'chiNumber', message: 'Another participant here already has that CHI number: check it, or open their record' },
      ]);
    if (err instanceof AppError && err.code === 'conflict' && /programme ID/.test(err.message))
      return participantFormAgain(c, title, action, editing, f, [{ field: 'programmeId', message: 'Another participant here already has that programme ID' }]);
    throw err;
  }
}
