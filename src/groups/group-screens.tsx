import { GroupForm } from './group-form.js';
import { typedGroupForm } from './group-form-values.js';
import { titleWith, type FieldProblem } from '../web/forms/form-errors.js';
import type { Context } from 'hono';
import { Layout, PostButton } from '../web/layout.js';
import { type WebEnv } from '../web/web-auth.js';
import { ReflowTable } from '../web/components/reflow-table.js';

/** Who referred someone, in words (the API keeps the codes). */
export const REFERRAL_SOURCES: Record<string, string> = {
  gp: 'GP',
  clp: 'Community Links Practitioner',
  self: 'Self-referral',
  other_service: 'Another service',
  other: 'Other',
};

export async function formChoices(c: { var: WebEnv['Variables'] }) {
  const { db, user } = c.var;
  const venues = await db
    .selectFrom('venues')
    .select(['id', 'name'])
    .where('practice_id', '=', user.practiceId)
    .where('archived_at', 'is', null)
    .orderBy('name')
    .execute();
  const clps = await db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id', 'u.name'])
    .where('m.practice_id', '=', user.practiceId)
    .where('m.role', 'in', ['clp', 'admin', 'leader'])
    .where('m.disabled_at', 'is', null)
    .orderBy('u.name')
    .execute();
  return { venues, clps };
}

export function EnrolmentTable(p: {
  rows: { participant_id: number; given_name: string | null; family_name: string | null; waitlist_position: number | null; referral_source: string | null }[];
  groupId: number;
  csrf: string;
  name: (e: { given_name: string | null; family_name: string | null }) => string;
  waitlist?: boolean;
}) {
  if (p.rows.length === 0) return <p class="muted">Nobody.</p>;
  return (
    <ReflowTable
      rows={p.rows}
      columns={[
        { heading: 'Position', hidden: !p.waitlist, cell: (e) => e.waitlist_position },
        { heading: 'Name', cell: (e) => <a href={`/participants/${e.participant_id}`}>{p.name(e)}</a> },
        { heading: 'Referred by', cell: (e) => (e.referral_source ? (REFERRAL_SOURCES[e.referral_source] ?? e.referral_source) : '–') },
        {
          heading: 'Action',
          unlabelled: true,
          cell: (e) => (
            <PostButton action={`/groups/${p.groupId}/withdraw/${e.participant_id}`} csrf={p.csrf} label="Withdraw" name={`Withdraw ${p.name(e)}`} />
          ),
        },
      ]}
    />
  );
}

/** The form again with what was typed and each problem beside its field (400: nothing was saved). */
export async function groupFormAgain(
  c: Context<WebEnv>,
  title: string,
  action: string,
  editing: boolean,
  f: Record<string, string | string[]>,
  problems: FieldProblem[],
) {
  return c.html(
    <Layout title={titleWith(problems, title)} user={c.var.user} csrf={c.var.csrf}>
      <GroupForm action={action} csrf={c.var.csrf} editing={editing} values={typedGroupForm(f)} problems={problems} {...await formChoices(c)} />
    </Layout>,
    400,
  );
}
