import { dayNumber, nextMonthStart } from '../calendar.js';
import { RECENT_ITEMS_DAYS } from '../features/feature-set.js';
import type { CustomerHistory } from '../offline/history.js';
import { eventsOf, type FieldValue, type LabelEvent } from './events.js';
import type { EventFilter, FieldCondition, LabelDefinition } from './pipeline-config.js';

/** The codes (and display names) a vocabulary table holds, in output order. */
export interface Vocabulary {
  codes: readonly string[];
  names: readonly string[];
}

/**
 * A label from the window after a cutoff: (cutoff, cutoff + days], whole days. It reads only
 * events inside that window (and, for items, the excluded days just before the cutoff);
 * features read only records up to the cutoff (compute-features.ts), so nothing from the label
 * window reaches the features. Returns one value, a multi-hot row for items, or undefined when
 * the customer is left out. `lastDay` is the last day the data covers.
 */
export function labelOf(
  history: CustomerHistory,
  cutoff: string,
  label: LabelDefinition,
  lastDay: number,
  vocabulary?: Vocabulary,
): number | Float32Array | undefined {
  const start = dayNumber(cutoff);
  const end = start + label.days;
  const inWindow = (e: LabelEvent) => e.day > start && e.day <= end;
  const select = (filters: readonly EventFilter[], within: (e: LabelEvent) => boolean) =>
    filters.flatMap((f) =>
      eventsOf(history, f.family, lastDay).filter((e) => within(e) && matches(e, f.where)),
    );

  if (label.among && select(label.among, inWindow).length === 0) return undefined;
  const events = select(label.events, inWindow);
  const field = (e: LabelEvent) => e.fields[label.field!] ?? null;
  switch (label.aggregate) {
    case 'exists':
      return events.length > 0 ? 1 : 0;
    case 'absent':
      return events.length === 0 ? 1 : 0;
    case 'count':
      return events.length;
    case 'sum':
      return events.reduce((s, e) => s + Number(field(e) ?? 0), 0);
    case 'argmax': {
      const counts = new Map<number, { n: number; first: number }>();
      for (const e of events) {
        const c = vocabulary!.codes.indexOf(String(field(e)));
        if (c < 0) continue;
        const entry = counts.get(c) ?? { n: 0, first: e.day };
        entry.n++;
        entry.first = Math.min(entry.first, e.day);
        counts.set(c, entry);
      }
      let best: number | undefined;
      for (const [c, { n, first }] of counts) {
        const b = best === undefined ? undefined : counts.get(best)!;
        if (!b || n > b.n || (n === b.n && first < b.first)) best = c;
      }
      return best;
    }
    case 'items': {
      const codes = vocabulary!.codes;
      const recent = label.excludeRecent
        ? new Set(
            select(label.events, (e) => e.day > start - RECENT_ITEMS_DAYS && e.day <= start).map((e) =>
              String(field(e)),
            ),
          )
        : new Set<string>();
      const row = new Float32Array(codes.length);
      let any = false;
      for (const e of events) {
        const code = String(field(e));
        const c = codes.indexOf(code);
        if (c < 0 || recent.has(code)) continue;
        row[c] = 1;
        any = true;
      }
      return any ? row : undefined;
    }
  }
}

/**
 * An uplift row's treatment: 1 when the label's window holds an event of `label.treatment`
 * (e.g. a campaign contact), 0 otherwise (the control group picked in the same window).
 */
export function treatmentOf(
  history: CustomerHistory,
  cutoff: string,
  label: LabelDefinition,
  lastDay: number,
): 0 | 1 {
  const start = dayNumber(cutoff);
  const end = start + label.days;
  for (const f of label.treatment ?? [])
    if (
      eventsOf(history, f.family, lastDay).some((e) => e.day > start && e.day <= end && matches(e, f.where))
    )
      return 1;
  return 0;
}

/** A label definition in one line, for manifests and model cards. */
export function describeLabel(label: LabelDefinition): string {
  const filters = (list: readonly EventFilter[]) =>
    list
      .map((f) => {
        const where = Object.entries(f.where).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
        return where.length ? `${f.family}[${where.join(', ')}]` : f.family;
      })
      .join(' | ');
  const field = label.field ? `.${label.field}` : '';
  const among = label.among ? ` among ${filters(label.among)}` : '';
  const recent = label.excludeRecent ? ', not bought recently' : '';
  const treated = label.treatment ? `, treated when ${filters(label.treatment)}` : '';
  return `${label.aggregate}(${filters(label.events)}${field})${among} in ${label.days} days${recent}${treated}`;
}

function matches(e: LabelEvent, where: Readonly<Record<string, FieldCondition>>): boolean {
  for (const [name, condition] of Object.entries(where)) {
    const value: FieldValue = e.fields[name] ?? null;
    if (Array.isArray(condition)) {
      if (!condition.includes(value as never)) return false;
    } else if (typeof condition === 'object') {
      if (typeof value !== 'number') return false;
      if (condition.gte !== undefined && value < condition.gte) return false;
      if (condition.lte !== undefined && value > condition.lte) return false;
    } else if (value !== condition) return false;
  }
  return true;
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
