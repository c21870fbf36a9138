import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Clock } from '../lib/clock.js';
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
      const body = healthBody(clock);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    void app(req, res);
  });
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
