import { DateTime } from 'luxon';
import type { CredentialKind, Db } from '../db/schema.js';
import { addDays } from '../lib/time/time.js';
import { DateInput } from '../web/forms/date-input.js';
import type { FieldProblem } from '../web/forms/form-errors.js';
import { Csrf } from '../web/layout.js';
import { Radios, SelectField, TextField } from '../web/forms/fields.js';
import { CHECK_WORDS } from './checks-due.js';
import { covers, credentialsOfUsers, CREDENTIAL_KINDS, DUE_WITHIN_DAYS } from './credentials-service.js';

export type CheckValues = { userId: string; kind: string; label: string; reference: string; validFrom: string; expiresOn: string };

export interface Leader {
  id: number;
  name: string;
  role: string;
  checks: { kind: CredentialKind; label: string | null; valid_from: string; expires_on: string | null }[];
  groups: string[];
}

const longDate = (iso: string) => DateTime.fromISO(iso).setLocale('en-GB').toFormat('d LLLL yyyy');

/** Leaders, and anyone else who leads a group or holds a check: the people a walk depends on, with what they hold and lead. */
export async function leadersAndChecks(db: Db, practiceId: number): Promise<Leader[]> {
  const people = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name', 'm.role'])
    .where('m.practice_id', '=', practiceId)
    .where('m.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('m.role', '=', 'leader'),
        eb.exists(
          eb
            .selectFrom('group_facilitators as f')
            .innerJoin('community_groups as g', 'g.id', 'f.group_id')
            .select('f.group_id')
            .whereRef('f.user_id', '=', 'u.id')
            .where('g.practice_id', '=', practiceId),
        ),
        eb.exists(eb.selectFrom('credentials as c').select('c.id').whereRef('c.user_id', '=', 'u.id').where('c.practice_id', '=', practiceId)),
      ]),
    )
    .orderBy('u.name')
    .execute();
  const ids = people.map((p) => p.id);
  if (!ids.length) return [];
  const checks = await credentialsOfUsers(db, practiceId, ids);
  const leads = await db
    .selectFrom('group_facilitators as f')
    .innerJoin('community_groups as g', 'g.id', 'f.group_id')
    .select(['f.user_id', 'g.name'])
    .where('g.practice_id', '=', practiceId)
    .where('f.user_id', 'in', ids)
    .where('g.status', '!=', 'archived')
    .orderBy('g.name')
    .execute();
  return people.map((p) => ({
    ...p,
    checks: checks.filter((c) => c.user_id === p.id),
    groups: leads.filter((l) => l.user_id === p.id).map((l) => l.name),
  }));
}

function checkState(c: { valid_from: string; expires_on: string | null }, today: string) {
  if (c.expires_on !== null && c.expires_on < today) return 'Ran out';
  if (!covers(c, today)) return 'Not yet valid';
  return c.expires_on !== null && c.expires_on < addDays(today, DUE_WITHIN_DAYS) ? 'Runs out soon' : 'Valid';
}

/** One card a person: what they lead and each check with its state today. */
export function LeaderCards(p: { people: Leader[]; today: string }) {
  if (p.people.length === 0)
    return (
      <p class="muted">
        Nobody leads a group yet. An admin adds a leader on the <a href="/users">users page</a> with the role "leader"; then choose them as a group's
        facilitator.
      </p>
    );
  return (
    <ul class="cards">
      {p.people.map((person) => (
        <li>
          <strong>{person.name}</strong> <span class="muted">({person.role})</span>
          <br />
          {person.groups.length ? `Leads: ${person.groups.join(', ')}` : 'Leads no group yet'}
          {person.checks.length === 0 ? (
            <p class="muted">No checks recorded.</p>
          ) : (
            <ul>
              {person.checks.map((c) => (
                <li>
                  {CHECK_WORDS[c.kind]}
                  {c.label ? ` (${c.label})` : ''}: from {longDate(c.valid_from)}
                  {c.expires_on ? ` to ${longDate(c.expires_on)}` : ''} · <strong>{checkState(c, p.today)}</strong>
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}

/** Recording a check: whose, what, its name and number, and the dates it holds between. */
export function CheckForm(p: { csrf: string; people: Leader[]; values: CheckValues; problems: FieldProblem[] }) {
  const { values, problems } = p;
  return (
    <form novalidate method="post" action="/leaders/checks">
      <Csrf token={p.csrf} />
      <SelectField
        name="userId"
        label="Whose"
        options={[['', 'Choose someone'] as const, ...p.people.map((person) => [String(person.id), person.name] as const)]}
        value={values.userId}
        problems={problems}
      />
      <Radios name="kind" legend="What" options={CREDENTIAL_KINDS.map((k) => [k, CHECK_WORDS[k]] as const)} chosen={values.kind} problems={problems} />
      <TextField
        name="label"
        label="Name of the course or check (optional)"
        maxlength={100}
        value={values.label}
        placeholder="e.g. Emergency First Aid at Work"
        problems={problems}
      />
      <TextField name="reference" label="Certificate or PVG scheme number (optional)" maxlength={100} value={values.reference} problems={problems} />
      <DateInput name="validFrom" legend="Gained on" hint="For example, 14 9 2026" value={values.validFrom} problems={problems} />
      <DateInput
        name="expiresOn"
        legend="Runs out on (optional)"
        hint="First aid usually lasts 3 years. Leave empty if it does not run out."
        value={values.expiresOn}
        problems={problems}
      />
      <p>
        <button type="submit">Record the check</button>
      </p>
    </form>
  );
}
