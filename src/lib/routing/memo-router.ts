import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';
import { Lru } from '../lru.js';

/** Addresses longer than this are matched afresh: no client of ours sends one, and each kept one holds memory. */
const LONGEST_KEPT_PATH = 256;

/**
 * Hono's own router (RegExpRouter where the routes allow it, the trie otherwise) with the matches
 * it has found kept by method and path. Our page routes overlap (`/groups/new` beside
 * `/groups/:id`), so Hono falls back to the trie, which walks every route's handler set on each
 * request: a tenth of a read answered from memory. The same address always matches the same
 * handlers, and Hono treats a match as read-only (its RegExpRouter hands one shared result to
 * every request for a static route), so a kept match is given again as it is.
 */
export class MemoRouter<T> implements Router<T> {
  name = 'MemoRouter';
  private readonly kept: Lru<string, Result<T>>;

  constructor(
    private readonly inner: Router<T> = new SmartRouter<T>({ routers: [new RegExpRouter<T>(), new TrieRouter<T>()] }),
    maxKept = 2_000,
  ) {
    this.kept = new Lru(maxKept);
  }

  add(method: string, path: string, handler: T): void {
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > LONGEST_KEPT_PATH) return this.inner.match(method, path);
    const key = `${method} ${path}`;
    let hit = this.kept.get(key);
    if (hit === undefined) {
      hit = this.inner.match(method, path);
      this.kept.set(key, hit);
    }
    return hit;
  }
}
