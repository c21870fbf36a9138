import { FieldError, type FieldProblem } from '../web/forms/form-errors.js';
import { Csrf } from '../web/layout.js';
import type { ConcernView } from './concerns-service.js';
import type { ConcernReader } from './concern-export.js';
import { STATUS_WORDS, when } from './concern-words.js';

const ACTION_WORDS: Record<string, string> = { read: 'Read', update: 'Changed', export: 'Exported' };

/** Every note and change of state, oldest first, each with who and when: the concern's record. */
export function ConcernLog(p: { actions: ConcernView['actions']; zone: string }) {
  if (p.actions.length === 0) return <p class="muted">Nothing recorded yet.</p>;
  return (
    <ol>
      {p.actions.map((a) => (
        <li>
          {when(a.at, p.zone)}, {a.by?.name ?? 'someone'}
          {a.status ? `: ${STATUS_WORDS[a.status].toLowerCase()}` : ': note'}
          {a.note && (
            <>
              {' — '}
              <span class="pre">{a.note}</span>
            </>
          )}
        </li>
      ))}
    </ol>
  );
}

/** Who opened, changed or exported the concern: for the safeguarding lead. */
export function ConcernReaders(p: { readers: ConcernReader[]; zone: string }) {
  return (
    <ul>
      {p.readers.map((r) => (
        <li>
          {ACTION_WORDS[r.action] ?? r.action} by {r.by?.name ?? 'someone'}, {when(r.at, p.zone)}
        </li>
      ))}
    </ul>
  );
}

/** A note added to the log at any time, or (for a closed concern) the reason it is reopened. */
export function NoteForm(p: { id: number; csrf: string; reopen: boolean; problems: FieldProblem[]; note: string }) {
  const field = p.reopen ? 'reopen-note' : 'add-note';
  return (
    <form novalidate method="post" action={`/concerns/${p.id}/${p.reopen ? 'reopen' : 'note'}`}>
      <Csrf token={p.csrf} />
      <h2>{p.reopen ? 'Reopen it' : 'Add a note'}</h2>
      <label for={field}>{p.reopen ? 'Why it is reopened' : 'What happened or was done'}</label>
      <FieldError field={field} problems={p.problems} />
      <textarea id={field} name="note" rows={3} maxlength={2000} aria-describedby={p.problems.some((x) => x.field === field) ? `${field}-error` : undefined}>
        {p.note}
      </textarea>
      <p>
        <button type="submit" class="secondary">
          {p.reopen ? 'Reopen the concern' : 'Add the note'}
        </button>
      </p>
    </form>
  );
}
