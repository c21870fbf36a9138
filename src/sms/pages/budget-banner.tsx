import type { BudgetStatus } from '../outbox/budget.js';
import { Warning } from '../../web/components/warning.js';

/** Past 80% of the month's text budget the admin is warned on every page; past all of it, told reminders paused. */
export function BudgetBanner(p: { budget: BudgetStatus }) {
  const { budget, used, state } = p.budget;
  if (budget === null || (state !== 'warning' && state !== 'paused')) return null;
  return (
    <Warning banner role="status">
      {state === 'paused'
        ? `Reminders are paused: this month's text budget of ${budget} segments is used up (${used} sent). Cancellations and change notices still go. `
        : `${used} of this month's ${budget} text segments are used (${Math.round((used / budget) * 100)}%). At ${budget}, reminders pause. `}
      <a href="/texts">See texts and the budget</a>
    </Warning>
  );
}
