import net from 'node:net';

/**
 * A TCP proxy that makes a link slow as a phone at a park gate finds it: every byte waits half the
 * round trip each way, and each direction carries at most `kbps`. Everything the browser fetches
 * (pages, the service worker's own revalidations) goes through it. `shaping` can be switched off
 * for setting up, and `bytes` counts what crossed it in both directions.
 */
export class ShapingProxy {
  shaping = true;
  bytes = 0;
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly target: number,
    private readonly rttMs = 400,
    private readonly kbps = 400,
  ) {}

  async start(): Promise<number> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      this.pipe(client, upstream);
      this.pipe(upstream, client);
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    return (this.server!.address() as net.AddressInfo).port;
  }

  /** One direction: a chunk leaves when the link is free and half the round trip has passed. */
  private pipe(from: net.Socket, to: net.Socket) {
    let free = 0;
    from.on('data', (chunk: Buffer) => {
      this.bytes += chunk.length;
      if (!this.shaping) return to.write(chunk);
      const now = performance.now();
      const sendAt = Math.max(now, free) + (chunk.length * 8) / this.kbps; // kbps = bits per ms
      free = sendAt;
      setTimeout(() => to.writable && to.write(chunk), sendAt - now + this.rttMs / 2);
    });
    from.on('end', () => setTimeout(() => to.end(), this.shaping ? this.rttMs / 2 + Math.max(0, free - performance.now()) : 0));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}
