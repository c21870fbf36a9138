import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One directory for every file the run's tests make (databases, backups, local D1), removed at its end. */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'clg-run-'));
  process.env.CLG_TEST_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
