/**
 * Where old audit events go: an R2 bucket on Workers, a directory on Node. Objects are written
 * once under a key that names what they hold, and read back whole; nothing is listed, since the
 * database keeps the index of what was archived.
 */
export interface ArchiveStore {
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or null when there is none under the key. */
  get(key: string): Promise<Uint8Array | null>;
}

/** gzip with the platform's own streams: the same code on Node and in workerd. */
export function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  return through(bytes, new CompressionStream('gzip'));
}

export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return through(bytes, new DecompressionStream('gzip'));
}

async function through(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

/** An R2 bucket as an archive (Workers: the optional AUDIT_ARCHIVE binding). */
export function r2Archive(bucket: R2Bucket): ArchiveStore {
  return {
    async put(key, body) {
      await bucket.put(key, body, { httpMetadata: { contentType: 'application/gzip' } });
    },
    async get(key) {
      const o = await bucket.get(key);
      return o ? new Uint8Array(await o.arrayBuffer()) : null;
    },
  };
}
