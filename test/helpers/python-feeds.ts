import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Debian's own Python, where python3-icalendar, -recurring-ical-events and -vobject are installed. */
const PYTHON = process.env.DEBIAN_PYTHON ?? '/usr/bin/python3';
const PACKAGES = ['icalendar', 'recurring_ical_events', 'vobject'];

/**
 * Whether the Python calendar readers are here. Without them the test is skipped with one line
 * saying how to install them; under CI=true (where .ci/run installs them) they must be present.
 */
export function pythonReadersAvailable(): boolean {
  const found =
    existsSync(PYTHON) && PACKAGES.every((p) => existsSync(`/usr/lib/python3/dist-packages/${p}`) || existsSync(`/usr/lib/python3/dist-packages/${p}.py`));
  if (found) return true;
  const how = 'sudo apt-get install python3-icalendar python3-recurring-ical-events python3-vobject';
  if (process.env.CI === 'true') throw new Error(`CI=true but the Python calendar readers are missing: ${how}`);
  console.warn(`Python feed readers skipped: install them with: ${how}`);
  return false;
}

export interface PythonReading {
  icalendar: { name: string | null; calname: string | null; events: [uid: string, start: string, end: string][] };
  recurring_ical_events: { events: [string, string, string][] };
  vobject: { calname: string | null; events: [string, string, string][] };
}

/** What icalendar, recurring-ical-events (Google-style, through x-wr-timezone) and vobject read in a feed. */
export function readWithPython(ics: string): Promise<PythonReading> {
  return new Promise((resolve, reject) => {
    // Spawned, never execFileSync: the test's own server must keep answering meanwhile.
    const child = spawn(PYTHON, [join(process.cwd(), 'test/helpers/read-feed.py')], { env: { ...process.env, PYTHONPATH: '' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`read-feed.py exited ${code}: ${err}`))));
    child.stdin.end(ics);
  });
}
