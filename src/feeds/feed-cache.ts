/** A rendered feed and the version of the data it was rendered from. */
export interface CachedFeed {
  version: string;
  etag: string;
  lastModified: number;
  body: string;
  /** The body gzipped once, on first request that accepts it. */
  gzip?: Uint8Array;
}

/**
 * Rendered feeds by feed id, least recently used out first. Staff calendars poll every hour or
 * so; re-rendering an unchanged feed each time is the cost this avoids.
 */
export class FeedCache {
  private readonly entries = new Map<number, CachedFeed>();
  constructor(private readonly maxEntries = 200) {}

  get(feedId: number, version: string): CachedFeed | undefined {
    const hit = this.entries.get(feedId);
    if (!hit || hit.version !== version) return undefined;
    this.entries.delete(feedId);
    this.entries.set(feedId, hit);
    return hit;
  }

  set(feedId: number, entry: CachedFeed): void {
    this.entries.delete(feedId);
    this.entries.set(feedId, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** Gzip with the web-standard CompressionStream, available on Node and Workers alike. */
export async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
