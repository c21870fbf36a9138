import { Lru } from '../lib/lru.js';

/** A rendered feed and the version of the data it was rendered from. */
export interface CachedFeed {
  version: string;
  etag: string;
  lastModified: number;
  body: string;
  /** The body's length in octets, for Content-Length (a HEAD answers it too). */
  octets?: number;
  /** The body gzipped once, on first request that accepts it. */
  gzip?: Uint8Array;
}

/**
 * Rendered feeds by feed id, least recently used out first. Staff calendars poll every hour or
 * so; re-rendering an unchanged feed each time is the cost this avoids.
 */
export class FeedCache {
  private readonly entries: Lru<number, CachedFeed>;
  constructor(maxEntries = 200) {
    this.entries = new Lru(maxEntries);
  }

  get(feedId: number, version: string): CachedFeed | undefined {
    const hit = this.entries.get(feedId);
    return hit?.version === version ? hit : undefined;
  }

  set(feedId: number, entry: CachedFeed): void {
    this.entries.set(feedId, entry);
  }
}

/** Gzip with the web-standard CompressionStream, available on Node and Workers alike. */
export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
