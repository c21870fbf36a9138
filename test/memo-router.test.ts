import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { MemoRouter } from '../src/lib/routing/memo-router.js';

/** A trie that counts how often it is walked. */
class CountingTrie<T> extends TrieRouter<T> {
  walks = 0;
  override match(method: string, path: string) {
    this.walks++;
    return super.match(method, path);
  }
}

describe('the kept router', () => {
  it('walks the routes once for an address, then answers from what it kept', () => {
    const trie = new CountingTrie<string>();
    const router = new MemoRouter<string>(trie);
    router.add('GET', '/groups/new', 'new group form');
    router.add('GET', '/groups/:id', 'one group');
    const first = router.match('GET', '/groups/7');
    expect(router.match('GET', '/groups/7')).toBe(first);
    expect(router.match('GET', '/groups/7')).toBe(first);
    expect(trie.walks).toBe(1);
    // Another address, another method: matched afresh, and kept apart.
    router.match('GET', '/groups/8');
    router.match('POST', '/groups/7');
    expect(trie.walks).toBe(3);
  });

  it('keeps a bounded number of addresses, and never a very long one', () => {
    const trie = new CountingTrie<string>();
    const router = new MemoRouter<string>(trie, 2);
    router.add('GET', '/p/:id', 'person');
    router.match('GET', '/p/1');
    router.match('GET', '/p/2');
    router.match('GET', '/p/3'); // /p/1 is now the one least recently asked for, and goes
    router.match('GET', '/p/1');
    expect(trie.walks).toBe(4);
    const long = `/p/${'x'.repeat(300)}`;
    router.match('GET', long);
    router.match('GET', long);
    expect(trie.walks).toBe(6);
  });

  it('gives each request its own parameters and handlers through Hono, however often an address repeats', async () => {
    const app = new Hono({ router: new MemoRouter() });
    app.use(async (c, next) => {
      await next();
      c.header('x-seen', 'yes');
    });
    app.get('/groups/new', (c) => c.text('the form'));
    app.get('/groups/:id', (c) => c.text(`group ${c.req.param('id')}`));
    app.get('/groups/:id/sessions/:sid', (c) => c.json(c.req.param()));
    for (let round = 0; round < 3; round++) {
      expect(await (await app.request('/groups/new')).text()).toBe('the form');
      expect(await (await app.request('/groups/7')).text()).toBe('group 7');
      expect(await (await app.request('/groups/8')).text()).toBe('group 8');
      expect(await (await app.request('/groups/%C3%A9')).text()).toBe('group é');
      expect(await (await app.request('/groups/7/sessions/3')).json()).toEqual({ id: '7', sid: '3' });
      const missing = await app.request('/nothing');
      expect([missing.status, missing.headers.get('x-seen')]).toEqual([404, 'yes']);
    }
  });
});
