import { AppError } from '../lib/errors.js';

/**
 * Password hashing (PBKDF2, 600,000 rounds: ~0.3 s of a core) is the one CPU-heavy thing a
 * stranger can make us do. At most `parallel` hashes run at once, so a flood of sign-ins leaves the
 * other core serving everyone else; beyond a short queue, a sign-in is refused (429) at once.
 */
export class HashingGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly parallel = 1,
    private readonly maxQueue = 16,
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
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
