import { AppError } from '../lib/errors.js';

/**
 * Password hashing (PBKDF2, 600,000 rounds: ~0.3 s of a core) is the one CPU-heavy thing a
 * stranger can make us do. At most `parallel` hashes run at once, and after each the gate rests as
 * long as the hash took, so a flood of sign-ins (right or wrong passwords) takes at most half a core
 * and everyone else keeps being served; beyond a short queue, a sign-in is refused (429) at once.
 */
export class HashingGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private restUntil = 0;

  constructor(
    private readonly parallel = 1,
    private readonly maxQueue = 16,
    /** The share of a core hashing may take: 0.5 rests as long as it worked. */
    private readonly share = 0.5,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.parallel) {
      if (this.waiting.length >= this.maxQueue) {
        throw new AppError('too_many_requests', 'Too many sign-ins at once. Try again in a moment.', undefined, { 'Retry-After': '2' });
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    const rest = this.restUntil - Date.now();
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
    const started = Date.now();
    try {
      return await work();
    } finally {
      const took = Date.now() - started;
      this.restUntil = Date.now() + (took * (1 - this.share)) / this.share;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
