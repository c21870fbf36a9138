import { type Context } from 'hono';
import { describerFor, ErrorSummary, FieldError, titleWith, type FieldProblem, type FieldRules } from '../web/forms/form-errors.js';
import { Csrf, Layout } from '../web/layout.js';
import { list, str, type WebEnv } from '../web/web-auth.js';
import { LanguageSelect } from '../participants/participant-form.js';
import type { Db } from '../db/schema.js';

/** What a referrer is offered to tick; anything else goes in "other needs". */
export const COMMON_NEEDS = ['loneliness', 'physical activity', 'mental wellbeing', 'chronic pain', 'confidence', 'money worries', 'housing'];

export const REFERRAL_RULES: FieldRules = [
  ['person.givenName', 'givenName', 'Enter their given name'],
  ['person.familyName', 'familyName', 'Enter their family name in up to 100 characters'],
  ['person.phone', 'phone', 'Enter a UK mobile number, like 07700 900123, or leave it blank'],
  ['person.smsConsent', 'smsConsent', 'Consent to texts needs a mobile number'],
  ['person.chiNumber', 'chiNumber', 'Enter the 10-digit CHI number, or leave it blank'],
  ['person.preferredLanguage', 'preferredLanguage', 'Choose a language from the list'],
  ['person.interpreterLanguage', 'interpreterLanguage', 'Enter a language code such as "fa" or "ar", or leave it blank'],
  ['reason', 'reason', 'Say why you are referring them, in up to 1000 characters'],
  ['needs', 'needs-0', 'Keep each need to 60 characters, and no more than 10'],
  ['suggestedGroupId', 'suggestedGroupId', 'Choose a group from the list, or none'],
  ['consent.toBeReferred', 'toBeReferred', 'Ask the person if they agree to be referred: without that, the referral cannot be made'],
  ['referrer', 'referrerName', 'Enter who is referring, in up to 100 characters'],
  ['', 'givenName', 'Check the details of the person'],
];

export type ReferralFormValues = Record<string, string> & { needs?: string };

/** The form's fields as the API's body: the same schema checks both. */
export function referralBodyFrom(f: Record<string, string | string[]>) {
  const ticked = list(f.needs).map((n) => n.trim());
  const other = str(f.otherNeeds)
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  const orNull = (v: string) => (v === '' ? null : v);
  return {
    values: Object.fromEntries(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : v])) as ReferralFormValues,
    body: {
      person: {
        givenName: str(f.givenName),
        familyName: orNull(str(f.familyName)),
        phone: orNull(str(f.phone)),
        smsConsent: str(f.smsConsent) === 'yes',
        chiNumber: orNull(str(f.chiNumber)),
        preferredLanguage: orNull(str(f.preferredLanguage)),
        interpreterLanguage: orNull(str(f.interpreterLanguage)),
      },
      reason: str(f.reason),
      needs: [...ticked, ...other],
      suggestedGroupId: str(f.suggestedGroupId) ? Number(str(f.suggestedGroupId)) || -1 : null,
      consent: { toBeReferred: str(f.toBeReferred) === 'yes', shareWithReferrer: str(f.shareWithReferrer) === 'yes' },
      referrer: { name: str(f.referrerName), organisation: orNull(str(f.referrerOrganisation)) },
    },
  };
}

/** Who is being referred: only what a referral needs, each field with its error beside it. */
function PersonFields(p: { values: ReferralFormValues; problems: FieldProblem[] }) {
  const { values, problems } = p;
  const v = (k: string) => values[k] ?? '';
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  const described = describerFor(problems);
  return (
    <fieldset>
      <legend>Who are you referring?</legend>
      <label for="givenName">Given name</label>
      {err('givenName')}
      <input id="givenName" name="givenName" maxlength={100} autocomplete="off" value={v('givenName')} aria-describedby={described('givenName')} />
      <label for="familyName">Family name (optional)</label>
      {err('familyName')}
      <input id="familyName" name="familyName" maxlength={100} autocomplete="off" value={v('familyName')} aria-describedby={described('familyName')} />
      <label for="phone">Mobile number (optional)</label>
      {err('phone')}
      <input id="phone" name="phone" type="tel" autocomplete="off" value={v('phone')} aria-describedby={described('phone')} />
      {err('smsConsent')}
      <label class="check">
        <input type="checkbox" id="smsConsent" name="smsConsent" value="yes" checked={v('smsConsent') === 'yes'} /> They agreed to get texts about their group
      </label>
      <label for="chiNumber">CHI number (optional)</label>
      <p id="chiHelp" class="muted">
        Ten digits. It codes the referral in the GP record, and finds them if the service knows them already.
      </p>
      {err('chiNumber')}
      <input
        id="chiNumber"
        name="chiNumber"
        inputmode="numeric"
        autocomplete="off"
        value={v('chiNumber')}
        aria-describedby={described('chiNumber', 'chiHelp')}
      />
      <LanguageSelect value={v('preferredLanguage') || null} problems={problems} />
      <label for="interpreterLanguage">Interpreter needed in (optional)</label>
      <p id="interpreterHelp" class="muted">
        A language code, such as fa (Farsi), ar (Arabic) or ti (Tigrinya).
      </p>
      {err('interpreterLanguage')}
      <input
        id="interpreterLanguage"
        name="interpreterLanguage"
        class="short"
        value={v('interpreterLanguage')}
        aria-describedby={described('interpreterLanguage', 'interpreterHelp')}
      />
    </fieldset>
  );
}

/** The groups a person can be referred or accepted into: every one not archived, by name. */
export function openGroups(db: Db, practiceId: number) {
  return db
    .selectFrom('community_groups')
    .select(['id', 'name'])
    .where('practice_id', '=', practiceId)
    .where('status', '!=', 'archived')
    .orderBy('name')
    .execute();
}

/** The referral form for practice staff, CLPs and admins: who, why, where to, and what they agreed to. */
export async function referralFormPage(c: Context<WebEnv>, values: ReferralFormValues, problems: FieldProblem[], status: 200 | 400 | 409 | 422 = 200) {
  const { db, user } = c.var;
  const groups = await openGroups(db, user.practiceId);
  const v = (k: string) => values[k] ?? '';
  const ticked = new Set((values.needs ?? '').split('|'));
  const err = (field: string) => <FieldError field={field} problems={problems} />;
  const described = describerFor(problems);
  return c.html(
    <Layout title={titleWith(problems, 'Refer someone to a group')} user={user} csrf={c.var.csrf}>
      <ErrorSummary problems={problems} />
      <p>A Community Links Practitioner will contact them. You can follow the referral from the Referrals page, and read how it went.</p>
      <form novalidate method="post" action="/referrals">
        <Csrf token={c.var.csrf} />
        <PersonFields values={values} problems={problems} />
        <label for="reason">Why are you referring them?</label>
        {err('reason')}
        <textarea id="reason" name="reason" rows={4} maxlength={1000} aria-describedby={described('reason')}>
          {v('reason')}
        </textarea>
        <fieldset>
          <legend>What might help (optional)</legend>
          {err('needs-0')}
          {COMMON_NEEDS.map((n, i) => (
            <label class="check">
              <input type="checkbox" id={`needs-${i}`} name="needs" value={n} checked={ticked.has(n)} /> {n.charAt(0).toUpperCase() + n.slice(1)}
            </label>
          ))}
          <label for="otherNeeds">Other needs, separated by commas</label>
          <input id="otherNeeds" name="otherNeeds" value={v('otherNeeds')} />
        </fieldset>
        <label for="suggestedGroupId">Suggested group (optional)</label>
        {err('suggestedGroupId')}
        <select id="suggestedGroupId" name="suggestedGroupId" aria-describedby={described('suggestedGroupId')}>
          <option value="">Let the CLP suggest one</option>
          {groups.map((g) => (
            <option value={String(g.id)} selected={v('suggestedGroupId') === String(g.id)}>
              {g.name}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>What the person agreed to</legend>
          {err('toBeReferred')}
          <label class="check">
            <input type="checkbox" id="toBeReferred" name="toBeReferred" value="yes" checked={v('toBeReferred') === 'yes'} /> To be referred to Community Links
            (needed)
          </label>
          <label class="check">
            <input type="checkbox" id="shareWithReferrer" name="shareWithReferrer" value="yes" checked={v('shareWithReferrer') === 'yes'} /> That their
            attendance and wellbeing scores be shared back with you
          </label>
        </fieldset>
        <fieldset>
          <legend>Who is referring</legend>
          <label for="referrerName">Name</label>
          {err('referrerName')}
          <input id="referrerName" name="referrerName" maxlength={100} value={values.referrerName ?? user.name} aria-describedby={described('referrerName')} />
          <label for="referrerOrganisation">Organisation (optional)</label>
          <input id="referrerOrganisation" name="referrerOrganisation" maxlength={100} value={values.referrerOrganisation ?? user.practiceName} />
        </fieldset>
        <p>
          <button type="submit">Send the referral</button>
        </p>
      </form>
    </Layout>,
    status,
  );
}
