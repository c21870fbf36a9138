import { readFileSync } from 'node:fs';
import http from 'node:http';

/**
 * The floor for JSON read routes: node:http answering a pre-built body. Given a number, a JSON
 * body of about that many bytes; given a file, exactly that file (the same bytes the app answers).
 */
const arg = process.argv[2] ?? '2000';
const body = /^\d+$/.test(arg)
  ? JSON.stringify({
      items: Array.from({ length: Math.max(1, Math.floor(Number(arg) / 100)) }, (_, i) => ({ id: i, name: `Group ${i}`, kind: 'health_walk', capacity: 30 })),
    }).slice(0, Number(arg))
  : readFileSync(arg, 'utf8');
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
