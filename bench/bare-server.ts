import http from 'node:http';

/** The floor for JSON read routes: node:http answering a pre-built JSON body of the same size. */
const size = Number(process.argv[2] ?? 2000);
const body = JSON.stringify({
  items: Array.from({ length: Math.max(1, Math.floor(size / 100)) }, (_, i) => ({ id: i, name: `Group ${i}`, kind: 'health_walk', capacity: 30 })),
}).slice(0, size);
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
