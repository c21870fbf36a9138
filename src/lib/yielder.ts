/**
 * Gives waiting requests a turn once the work has held the thread for `sliceMs` (a macrotask, so
 * the event loop runs; on Node and Workers alike). Yielding on every step instead cost a timer's
 * millisecond each time: 130 s for a full plan of the large set.
 */
export function yielder(sliceMs = 10): () => Promise<void> {
  let since = Date.now();
  return async () => {
    if (Date.now() - since < sliceMs) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    since = Date.now();
  };
}
