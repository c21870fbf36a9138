import { ConfigError, parseEnv } from '../config.js';
import { startServer } from '../node/start-server.js';
import { listeningAt, stopOnSignal } from '../node/run-until-signal.js';

try {
  const raw = parseEnv(process.env);
  const running = await startServer(raw);
  console.log(`Community Links Groups listening on ${listeningAt(process.env.HOST, running.port)} (database ${raw.DATABASE_PATH})`);
  stopOnSignal(running);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
