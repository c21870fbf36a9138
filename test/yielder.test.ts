import { describe, expect, it } from 'vitest';
import { yielder } from '../src/lib/yielder.js';

describe('yielder', () => {
  it('gives work side by side a turn each, so what waits (a request, a timer) runs between them', async () => {
    const breather = yielder(0);
    const order: string[] = [];
    // Two of the dispatcher's sends reach their breather together. The first one's next step
    // outlasts a timer set in it: the timer is due before the second send goes on.
    const first = (async () => {
      await breather();
      order.push('first send');
      setTimeout(() => order.push('a timer due meanwhile'), 0);
      const until = performance.now() + 3;
      while (performance.now() < until);
    })();
    const second = (async () => {
      await breather();
      order.push('second send');
    })();
    await Promise.all([first, second]);
    await new Promise((r) => setTimeout(r, 5));
    // With one turn shared, both went on in the same check phase and the timer waited for both.
    expect(order).toEqual(['first send', 'a timer due meanwhile', 'second send']);
  });

  it('does not give the thread up before its slice is spent', async () => {
    const breather = yielder(60_000);
    const order: string[] = [];
    setImmediate(() => order.push('waiting'));
    await breather();
    order.push('work');
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual(['work', 'waiting']);
  });
});
