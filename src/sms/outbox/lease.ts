/** Longer than any send can take, so a live runner never loses its claim. */
export const LEASE_MS = 2 * 60_000;
