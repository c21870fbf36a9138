import type { Child } from 'hono/jsx';
import type { OperationsNotice } from '../backups/operations-notice.js';
import type { Role } from '../db/schema.js';
import type { BudgetStatus } from '../sms/outbox/budget.js';

/** The signed-in person, with what every scoped query needs. */
export interface AuthUser {
  id: number;
  practiceId: number;
  timezone: string;
  role: Role;
  name: string;
  email: string;
  tokenHash: string;
  /** Creates practices and reads programme-wide, pseudonymous reports. */
  programmeAdmin: boolean;
  /** The practice this session acts in, by name. */
  practiceName: string;
  /** The practice's data version when this request signed in: what cached answers are checked against. */
  dataVersion: number;
  /** Its people's version (participants, apologies, wording), read with the sign-in too: with the above, what a register shows. */
  planVersion?: number;
  /**
   * How many practices the user may switch between: counted for the pages (the header's switcher)
   * and at login, not on every API request.
   */
  practiceCount?: number;
  /** This month's text budget, for an admin's pages (warned past 80%, told when reminders pause). */
  smsBudget?: BudgetStatus;
  /** A failed backup or a restore not yet read, for an admin's pages. */
  operations?: OperationsNotice;
  /** What every page shows this person above its content (an admin's budget and operations notices), drawn by the features that own them. */
  banners?: Child;
}
