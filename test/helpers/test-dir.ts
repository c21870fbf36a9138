import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A fresh directory for a test's files: inside the run's own (test/global-setup.ts), which goes
 * when the run ends, so a run leaves nothing in /tmp; in the system's temporary directory for a
 * bench, which removes its own.
 */
export const testDir = (prefix: string): string => mkdtempSync(join(process.env.CLG_TEST_DIR ?? tmpdir(), prefix));
