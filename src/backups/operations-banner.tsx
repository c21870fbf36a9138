import { DateTime } from 'luxon';
import type { OperationsNotice } from './operations-notice.js';
import { Warning } from '../web/components/warning.js';

const when = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat("cccc d LLLL yyyy 'at' HH:mm");

/**
 * On every admin page until dealt with: a backup that failed, and a restore, naming the backup's
 * time and what to check, since everything done after it is gone from the database.
 */
export function OperationsBanner(p: { notice: OperationsNotice; zone: string; csrf?: string }) {
  const { backupFailure, restore } = p.notice;
  return (
    <>
      {backupFailure && (
        <Warning banner role="status">
          The last backup, {when(backupFailure.at, p.zone)}, failed: {backupFailure.error}. The server keeps running; ask whoever runs it to check BACKUP_DIR
          and the disk.
        </Warning>
      )}
      {restore && (
        <Warning banner role="status">
          <p>
            <strong>
              This server was restored on {when(restore.restoredAt, p.zone)} from a backup taken {when(restore.backupTakenAt, p.zone)}.
            </strong>{' '}
            Anything done after the backup is gone. Please check:
          </p>
          <ul>
            <li>calendar feed links revoked since then: they work again until revoked again;</li>
            <li>users disabled or given another role since then;</li>
            <li>registers, enrolments, closures and cancellations made since then.</li>
          </ul>
          {restore.lookupError && (
            <p>
              <strong>
                {restore.waitingForLog} {restore.waitingForLog === 1 ? 'text is' : 'texts are'} held: Twilio's message log has not answered since{' '}
                {when(restore.lookupFailedAt!, p.zone)} ({restore.lookupError}).
              </strong>{' '}
              Nothing that may have gone before the restore is sent until Twilio can say whether it went; the server keeps asking, less often each time.
            </p>
          )}
          <p>
            {restore.settled ? 'Texts were checked against Twilio before any was sent: ' : 'Texts are being checked against Twilio before any is sent: '}
            {restore.foundSent} had already gone, {restore.sentAfterCheck} sent after checking
            {restore.held > 0 ? `, ${restore.held} held because there were no Twilio credentials to check with (see Messages)` : ''}. Everyone has been signed
            out.
          </p>
          {p.csrf && (
            <form novalidate method="post" action={`/restores/${restore.id}/acknowledge`} class="inline">
              <input type="hidden" name="_csrf" value={p.csrf} />
              <button type="submit" class="secondary">
                I have checked these
              </button>
            </form>
          )}
        </Warning>
      )}
    </>
  );
}
