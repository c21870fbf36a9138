import type { RunningServer } from './start-server.js';

/** Stops the server cleanly on SIGTERM or SIGINT (systemd, Ctrl-C), then exits. */
export function stopOnSignal(running: RunningServer): void {
  const shutdown = () =>
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

/** The address to open, as the server listens: HOST itself when it names one, localhost for every address. */
export function listeningAt(host: string | undefined, port: number): string {
  const h = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
