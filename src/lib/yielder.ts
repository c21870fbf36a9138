/**
 * A macrotask turn: the event loop runs (waiting requests are read and answered) before it comes
 * back. Node's setImmediate comes back as soon as that is done; a zero timer is clamped to a whole
 * millisecond, idle, which was a tenth of a programme report. Workers have only the timer.
 */
const hasImmediate = typeof setImmediate === 'function';
export const nextTurn: (f: () => void) => void = hasImmediate ? (f) => setImmediate(f) : (f) => setTimeout(f, 0);
export const turn = () => new Promise<void>((resolve) => nextTurn(resolve));

/**
 * Gives waiting requests a turn once the work has held the thread for `sliceMs` (on Node and
 * Workers alike). Yielding on every step instead cost a timer's millisecond each time: 130 s for
 * a full plan of the large set. A hold is the slice plus the step that follows it (a statement of a
 * hundred rows, 10-20 ms at national size): 10 ms slices held a first pass at 1,000 practices
 * 29-31 ms, 5 ms slices 23-25 ms, in the same time (17.4 s against 17.7 s). Workers keep 10 ms:
 * their turn is a timer, which may cost more than the immediate.
 */
export function yielder(sliceMs = hasImmediate ? 5 : 10): () => Promise<void> {
  let since = Date.now();
  // Callers side by side (the dispatcher's eight sends) each take a turn of their own, one after
  // another: a single turn let them all go on in the same check phase, holding the thread 25-37 ms.
  let queue = Promise.resolve();
  return async () => {
    if (Date.now() - since < sliceMs) return;
    const mine = queue.then(turn);
    queue = mine;
    await mine;
    since = Date.now();
  };
}

/** Work written once as a generator of steps, run straight through: its result. */
export function runSteps<R>(steps: Generator<void, R>): R {
  for (let s = steps.next(); ; s = steps.next()) if (s.done) return s.value;
}

/** The same work, letting the thread go (`breather`) between its steps. */
export async function runStepsInTurns<R>(steps: Generator<void, R>, breather: () => Promise<void>): Promise<R> {
  for (let s = steps.next(); ; s = steps.next()) {
    if (s.done) return s.value;
    await breather();
  }
}
