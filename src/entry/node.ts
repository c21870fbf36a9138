import { ConfigError, parseEnv } from '../config.js';
import { startServer } from '../node/start-server.js';

try {
  const raw = parseEnv(process.env);
  const running = await startServer(raw);
  console.log(`Community Links Groups listening on http://localhost:${running.port} (database ${raw.DATABASE_PATH})`);
  const shutdown = () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
