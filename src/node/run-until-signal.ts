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
