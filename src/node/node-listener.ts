import { createServer, ServerResponse, type IncomingMessage, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Clock } from '../lib/time/clock.js';
import { healthBody } from '../lib/health.js';

/**
 * The Node server for an app's fetch. A load balancer's probe is answered here, before a web
 * Request is built for it: it asks often, needs none of the app, and at half a bare server's rate
 * through the adapter it was the adapter's cost it measured. The app answers the same at
 * `/healthz` (Workers, tests).
 */
export function nodeServer(fetch: (req: Request) => Response | Promise<Response>, clock: Clock, hostname?: string): Server {
  // The hostname stands in for a missing Host header (HTTP/1.0), as @hono/node-server's serve() does.
  const app = getRequestListener(fetch, { hostname });
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '';
    if ((url === '/healthz' || url.startsWith('/healthz?')) && (req.method === 'GET' || req.method === 'HEAD')) {
      const body = healthBody(clock); // ASCII: its length is its byte count
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.end = endAtTurnEnd;
    void app(req, res);
  });
}

/** Responses finished in this turn of the event loop, written when it ends. */
const finishing: (() => void)[] = [];
const writeFinished = () => {
  for (const write of finishing.splice(0)) {
    // One response that cannot be written (its client gone) must not keep the rest from theirs.
    try {
      write();
    } catch (err) {
      console.error('could not finish a response:', err);
    }
  }
};

/**
 * A response's end, waiting for the end of this turn of the event loop to go out with every other
 * response finished in it. Under load each answer written on its own woke the client's core (an
 * interrupt between cores, dear in a VM): a fifth of a read's time went there. Written one after
 * another at the turn's end, one wake-up serves them all. Nothing else waits: the turn ends once
 * the requests that arrived together have been answered, and on a quiet server a turn holds one.
 * (Set on each response: a ServerResponse subclass took a quarter off every request's rate.)
 */
function endAtTurnEnd(this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown): ServerResponse {
  const args = [chunk, encoding, cb] as [never, never, never];
  if (finishing.push(() => ServerResponse.prototype.end.apply(this, args)) === 1) setImmediate(writeFinished);
  return this;
}

/** Listens on a port (0 for any free one) and resolves with the port it got. */
export function listen(server: Server, port: number, hostname: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve((server.address() as { port: number }).port);
    });
  });
}
