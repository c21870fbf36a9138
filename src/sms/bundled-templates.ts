import adhoc from '../../templates/sms/adhoc.txt';
import apologies_confirmed from '../../templates/sms/apologies_confirmed.txt';
import back_on from '../../templates/sms/back_on.txt';
import cancellation from '../../templates/sms/cancellation.txt';
import moved from '../../templates/sms/moved.txt';
import reminder from '../../templates/sms/reminder.txt';
import waitlist_offer from '../../templates/sms/waitlist_offer.txt';
import welcome from '../../templates/sms/welcome.txt';
import { checkTemplates, type Templates } from './templates.js';

/** Workers has no folder to read: the same template files, bundled, and checked the same way. */
export function bundledTemplates(): Templates {
  return checkTemplates({ adhoc, apologies_confirmed, back_on, cancellation, moved, reminder, waitlist_offer, welcome });
}
