import type { SessionFlag } from './session-flags.js';
import { Warning } from '../web/components/warning.js';

export type { SessionFlag };

const ASK = 'Ask the CLP if it cannot be put right before the session.';

/**
 * A session's warnings, where a leader or CLP looks before starting (Today, the session, the
 * register): one GOV.UK warning with a heading. Each message says what to do; past the first they
 * fold away, so on a phone the register's first buttons stay on the first screen.
 */
export function SessionFlags(p: { flags: SessionFlag[]; compact?: boolean }) {
  if (p.flags.length === 0) return null;
  if (p.compact)
    return (
      <ul class="flags compact">
        {p.flags.map((f) => (
          <li class="warning-note" data-flag={f.kind}>
            {f.message}
          </li>
        ))}
      </ul>
    );
  const [first, ...rest] = p.flags;
  const item = (f: SessionFlag) => <li data-flag={f.kind}>{f.message}</li>;
  return (
    <Warning banner heading={p.flags.length === 1 ? 'Check before you start' : `${p.flags.length} things to check first`}>
      <ul class="flags">{item(first!)}</ul>
      {rest.length > 0 ? (
        <details class="flags-more">
          <summary>{rest.length === 1 ? '1 more' : `${rest.length} more`}</summary>
          <ul class="flags">{rest.map(item)}</ul>
          <p class="muted">{ASK}</p>
        </details>
      ) : (
        <p class="muted">{ASK}</p>
      )}
    </Warning>
  );
}
