import type { Clock } from './clock.js';

/** What `/healthz` answers: the server is up and its clock reads this. */
export const healthBody = (clock: Clock) => JSON.stringify({ status: 'ok', time: clock.now().toISOString() });
