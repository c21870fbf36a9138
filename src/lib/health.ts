import type { Clock } from './time/clock.js';

/** The last answer, by the millisecond it was for: a probe asked thousands of times a second is built once each. */
let last = { ms: Number.NaN, body: '' };

/** What `/healthz` answers: the server is up and its clock reads this. */
export function healthBody(clock: Clock): string {
  const ms = clock.now().getTime();
  if (ms !== last.ms) last = { ms, body: JSON.stringify({ status: 'ok', time: new Date(ms).toISOString() }) };
  return last.body;
}
