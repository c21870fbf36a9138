import { type Context } from 'hono';
import type { z } from 'zod';
import { AppError } from '../lib/errors.js';
import { describerFor, ErrorSummary, FieldError, problemsFor, type FieldProblem, type FieldRules, titleWith } from '../web/form-errors.js';
import type { Participant } from '../db/schema.js';
import { languageName, TEXT_LANGUAGES } from '../sms/wording/languages.js';
import { Csrf, Layout } from '../web/layout.js';
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

export function ParticipantForm(p: { action: string; csrf: string; person?: Participant; back?: string; editing?: boolean; problems?: FieldProblem[] }) {
  const x = p.person;
  const problems = p.problems ?? [];
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  const describedBy = describerFor(problems);
  return (
    <form novalidate method="post" action={p.action}>
      <ErrorSummary problems={problems} />
      <Csrf token={p.csrf} />
      {p.back && <input type="hidden" name="back" value={p.back} />}
      <label for="givenName">Given name</label>
      {err('givenName')}
      <input id="givenName" name="givenName" maxlength={100} value={x?.given_name ?? ''} aria-describedby={describedBy('givenName')} />
      <label for="familyName">Family name (optional)</label>
      {err('familyName')}
      <input id="familyName" name="familyName" maxlength={100} value={x?.family_name ?? ''} aria-describedby={describedBy('familyName')} />
      <label for="phone">Mobile number</label>
      {err('phone')}
      <input
        id="phone"
        name="phone"
        type="tel"
        inputmode="tel"
        autocomplete="off"
        value={x?.phone ?? ''}
        aria-describedby={describedBy('phone', 'phoneHelp')}
      />
      <p id="phoneHelp" class="muted">
        UK mobiles like 07700 900123; other countries with + and the country code.
      </p>
      <fieldset>
        <legend>Texts</legend>
        {err('smsConsent')}
        <label class="check">
          <input type="checkbox" id="smsConsent" name="smsConsent" value="yes" checked={x ? x.sms_consent === 1 : false} /> Agreed to get texts
        </label>
        <label for="smsConsentMethod">How they agreed</label>
        <select id="smsConsentMethod" name="smsConsentMethod">
          {[
            ['verbal', 'Said so in person or by phone'],
            ['written', 'In writing'],
            ['text_reply', 'By text'],
            ['online', 'Online'],
          ].map(([v, l]) => (
            <option value={v} selected={x?.sms_consent_method === v}>
              {l}
            </option>
          ))}
        </select>
        <label class="check">
          <input type="checkbox" name="doNotText" value="yes" checked={x?.do_not_text === 1} /> Do not text (e.g. someone else reads their phone)
        </label>
      </fieldset>
      <LanguageSelect value={x?.preferred_language ?? null} problems={problems} />
      <label for="chiNumber">CHI number (optional)</label>
      <p id="chiHelp" class="muted">
        Ten digits, to match the practice's GP appointment counts. Only counts are kept, never reasons.
      </p>
      {err('chiNumber')}
      <input
        id="chiNumber"
        name="chiNumber"
        inputmode="numeric"
        autocomplete="off"
        maxlength={12}
        value={x?.chi_number ?? ''}
        aria-describedby={describedBy('chiNumber', 'chiHelp')}
      />
      <label for="programmeId">Programme ID (optional)</label>
      <p id="programmeIdHelp" class="muted">
        The programme's pseudonymous ID, like P1000: it goes in the monitoring return instead of a name.
      </p>
      {err('programmeId')}
      <input
        id="programmeId"
        name="programmeId"
        autocomplete="off"
        maxlength={20}
        value={x?.programme_id ?? ''}
        aria-describedby={describedBy('programmeId', 'programmeIdHelp')}
      />
      <fieldset>
        <legend>Access needs a leader should see at a glance</legend>
        <label class="check">
          <input type="checkbox" name="interpreterNeeded" value="yes" checked={x?.interpreter_needed === 1} /> Needs an interpreter
        </label>
        <label for="interpreterLanguage">Interpreter's language (optional)</label>
        {err('interpreterLanguage')}
        <select id="interpreterLanguage" name="interpreterLanguage">
          <option value="">Not recorded</option>
          {TEXT_LANGUAGES.map((l) => (
            <option value={l.tag} selected={x?.interpreter_language === l.tag}>
              {languageName(l.tag)}
            </option>
          ))}
        </select>
        <label for="mobility">Mobility (optional)</label>
        {err('mobility')}
        <input id="mobility" name="mobility" maxlength={100} placeholder="e.g. walking stick, wheelchair" value={x?.mobility ?? ''} />
        <label class="check">
          <input type="checkbox" name="transportArranged" value="yes" checked={x?.transport_arranged === 1} /> Comes by arranged transport
        </label>
        <label for="firstSessionSupport">First session: how to welcome them (optional)</label>
        {err('firstSessionSupport')}
        <input id="firstSessionSupport" name="firstSessionSupport" maxlength={200} placeholder="e.g. meet at the gate" value={x?.first_session_support ?? ''} />
        <label for="emergencyContact">Emergency contact (optional)</label>
        {err('emergencyContact')}
        <input id="emergencyContact" name="emergencyContact" maxlength={200} placeholder="Name and number" value={x?.emergency_contact ?? ''} />
        <label class="check">
          <input type="checkbox" name="emergencyContactForLeaders" value="yes" checked={x?.emergency_contact_for_leaders === 1} /> They agreed their group's
          leaders may see it
        </label>
        <label class="check">
          <input type="checkbox" name="outcomeTextConsent" value="yes" checked={x?.outcome_text_consent === 1} /> They agreed to be asked by text how happy they
          felt, when given a place and 8 weeks on (if the practice asks)
        </label>
      </fieldset>
      <label for="accessNeeds">Other access needs</label>
      {err('accessNeeds')}
      <textarea id="accessNeeds" name="accessNeeds" rows={2} maxlength={1000} aria-describedby={describedBy('accessNeeds')}>
        {x?.access_needs ?? ''}
      </textarea>
      <label for="gender">Gender (for funders' monitoring)</label>
      <select id="gender" name="gender">
        {[
          ['', 'Not recorded'],
          ['female', 'Female'],
          ['male', 'Male'],
          ['non_binary', 'Non-binary'],
          ['other', 'Other'],
          ['prefer_not_to_say', 'Prefers not to say'],
        ].map(([v, l]) => (
          <option value={v} selected={(x?.gender ?? '') === v}>
            {l}
          </option>
        ))}
      </select>
      <p>
        <button type="submit">{(p.editing ?? !!x) ? 'Save changes' : 'Add participant'}</button>
      </p>
    </form>
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
