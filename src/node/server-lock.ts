import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Beside the database while a server uses it: `npm run restore` refuses to replace a database in use. */
const lockFile = (databasePath: string) => `${databasePath}.server-pid`;

export function claimServerLock(databasePath: string): void {
  writeFileSync(lockFile(databasePath), String(process.pid));
}

export function releaseServerLock(databasePath: string): void {
  try {
    if (readFileSync(lockFile(databasePath), 'utf8').trim() === String(process.pid)) rmSync(lockFile(databasePath), { force: true });
  } catch {
    /* already gone */
  }
}

/** The process id of a server still running on this database (a lock left by a crash does not count). */
export function runningServer(databasePath: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(lockFile(databasePath), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
