import { dayNumber, nextMonthStart } from '../calendar.js';
import type { CustomerHistory } from '../offline/history.js';
import { OFFER_TYPES } from '../offline/history.js';
import type { LabelDefinition } from './pipeline-config.js';

/**
 * Labels from the window after a cutoff: (cutoff, cutoff + days], whole days. They read only
 * records inside that window; features read only records up to the cutoff (compute-features.ts),
 * so nothing from the label window reaches the features.
 */
export function labelOf(
  history: CustomerHistory,
  cutoff: string,
  label: LabelDefinition,
): number | undefined {
  const start = dayNumber(cutoff);
  const end = start + label.days;
  const inWindow = (day: number) => day > start && day <= end;
  switch (label.kind) {
    case 'purchase':
      return history.transactions.some((t) => inWindow(dayNumber(t.occurredAt))) ? 1 : 0;
    case 'no_activity': {
      const bought = history.transactions.some((t) => inWindow(dayNumber(t.occurredAt)));
      // A month of usage is activity inside the window when the month ends inside it.
      const used = history.usage.some((u) => inWindow(nextMonthStart(dayNumber(u.month)) - 1));
      return bought || used ? 0 : 1;
    }
    case 'revenue': {
      let cents = 0;
      for (const t of history.transactions) if (inWindow(dayNumber(t.occurredAt))) cents += t.amountCents;
      return cents / 100;
    }
    case 'accepted_offer': {
      for (const o of history.offers) {
        if (o.acceptedAt === null || !inWindow(dayNumber(o.offeredAt))) continue;
        const index = OFFER_TYPES.findIndex((t) => t.code === o.offerCode);
        if (index >= 0) return index;
      }
      return undefined;
    }
  }
}

/** True when the customer had a purchase or a whole month of service in the days up to the cutoff. */
export function activeWithin(history: CustomerHistory, cutoff: string, days: number): boolean {
  const end = dayNumber(cutoff);
  const inWindow = (day: number) => day > end - days && day <= end;
  return (
    history.transactions.some((t) => inWindow(dayNumber(t.occurredAt))) ||
    history.usage.some((u) => inWindow(nextMonthStart(dayNumber(u.month)) - 1))
  );
}
