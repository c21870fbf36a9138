import http from 'node:http';

/**
 * A small closed-loop load generator: `connections` keep-alive loops for `seconds`.
 * Used for ratios between routes of the same server, so its own overhead cancels out.
 */
export async function load(port: number, path: string, opts: { connections?: number; seconds?: number; headers?: Record<string, string> } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections ?? 32 });
  const until = performance.now() + (opts.seconds ?? 3) * 1000;
  const latencies: number[] = [];
  let statuses = new Map<number, number>();
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = http.get({ host: '127.0.0.1', port, path, agent, headers: opts.headers }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses.set(res.statusCode!, (statuses.get(res.statusCode!) ?? 0) + 1);
          resolve();
        });
      });
      req.on('error', reject);
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: opts.connections ?? 32 }, async () => {
      while (performance.now() < until) await one();
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / elapsed, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, statuses: Object.fromEntries(statuses) };
}
