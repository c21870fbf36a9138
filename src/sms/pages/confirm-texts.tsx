import { NAME_MARK, type Queued, type TextPreview } from '../outbox/outbox.js';
import { ReflowTable } from '../../web/components/reflow-table.js';
import { plural } from '../../lib/numbers.js';

/**
 * The texts a change will send, shown before it is made (GOV.UK "check before you send"): each
 * distinct wording once with who gets it, and everyone who cannot be texted with why, so the CLP
 * knows whom to phone instead.
 */
export function TextsToSend(p: { preview: TextPreview }) {
  // Grouped by the text's shape, the name aside: ten people getting the same reminder is one text
  // "to 10 people", not ten screens of it.
  const byShape = new Map<string, { names: string[]; bodies: string[]; inEnglish: boolean }>();
  for (const s of p.preview.send) {
    const entry = byShape.get(s.shape) ?? { names: [], bodies: [], inEnglish: s.inEnglish };
    entry.names.push(s.name);
    entry.bodies.push(s.body);
    byShape.set(s.shape, entry);
  }
  const n = p.preview.send.length;
  return (
    <>
      <h2>{n === 0 ? 'Nobody will get a text' : `${plural(n, 'person', 'people')} will get ${byShape.size === 1 ? 'this text' : 'these texts'}`}</h2>
      {[...byShape].map(([shape, who]) => (
        <div>
          {who.names.length > 1 && (
            <p>
              <strong>{who.names.length} people will get:</strong>
            </p>
          )}
          <p class="sms-preview">
            {who.names.length === 1
              ? who.bodies[0]
              : shape.split(NAME_MARK).map((part, i) => (
                  <>
                    {i > 0 && <em class="name-slot">[their name]</em>}
                    {part}
                  </>
                ))}
          </p>
          <p class="muted">
            To {who.names.join(', ')}
            {who.inEnglish ? ' (in English: there is no wording in their language yet)' : ''}
          </p>
        </div>
      ))}
      {p.preview.cannot.length > 0 && (
        <>
          <h2>{plural(p.preview.cannot.length, 'person', 'people')} cannot be texted: phone them</h2>
          <ReflowTable
            rows={p.preview.cannot}
            columns={[
              { heading: 'Name', cell: (x) => x.name },
              { heading: 'Why not', cell: (x) => x.reason },
            ]}
          />
        </>
      )}
    </>
  );
}

/** What a change did, in words: the texts that went into the outbox and those that could not. */
export function queuedWords(q: Queued): string {
  const texts = `${plural(q.queued, 'text')} queued`;
  return q.skipped ? `${texts}; ${plural(q.skipped, 'person', 'people')} cannot be texted (see Messages for who to phone).` : `${texts}.`;
}
