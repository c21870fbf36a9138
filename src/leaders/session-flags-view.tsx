import type { SessionFlag } from './session-flags.js';

export type { SessionFlag };

/** A session's warnings, where a leader or CLP looks before starting (Today, the session, the register). */
export function SessionFlags(p: { flags: SessionFlag[]; compact?: boolean }) {
  if (p.flags.length === 0) return null;
  return (
    <ul class={p.compact ? 'flags compact' : 'flags'}>
      {p.flags.map((f) => (
        <li class="warning-note" data-flag={f.kind}>
          {f.message}
        </li>
      ))}
    </ul>
  );
}
