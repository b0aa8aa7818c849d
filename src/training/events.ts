import { dayNumber, nextMonthStart } from '../calendar.js';
import { MISSED_AFTER_DAYS } from '../offline/features/compute-features.js';
import type { CustomerHistory } from '../offline/history.js';

/**
 * A customer's records as dated events with named fields: what a generic label definition
 * (pipeline-config.ts) filters and aggregates. One entry per table of the data model; a new
 * table is one entry here, and then every label kind works on it.
 */
export type FieldValue = number | string | boolean | null;

export interface LabelEvent {
  /** Day number of the event. */
  day: number;
  fields: Readonly<Record<string, FieldValue>>;
}

interface Family {
  /** The fields a label may filter on or aggregate, with what they mean. */
  fields: Record<string, string>;
  events(history: CustomerHistory, lastDay: number): LabelEvent[];
}

const monthEnd = (month: string) => nextMonthStart(dayNumber(month)) - 1;

export const EVENT_FAMILIES = {
  transactions: {
    fields: { amount: 'amount in currency units', channel: 'store | online | app | call_center' },
    events: (h) =>
      h.transactions.map((t) => ({
        day: dayNumber(t.occurredAt),
        fields: { amount: t.amountCents / 100, channel: t.channel },
      })),
  },
  lines: {
    fields: {
      product: 'product code',
      category: 'product category',
      amount: 'line amount in currency units',
      quantity: 'units',
    },
    events: (h) =>
      h.lines.map((l) => ({
        day: dayNumber(l.occurredAt),
        fields: {
          product: l.productCode,
          category: l.category,
          amount: l.amountCents / 100,
          quantity: l.quantity,
        },
      })),
  },
  usage: {
    fields: { data_mb: 'data used in the month', voice_minutes: 'minutes', sms: 'messages' },
    // A month of usage happens on the month's last day (it is known once the month is over).
    events: (h) =>
      h.usage.map((u) => ({
        day: monthEnd(u.month),
        fields: { data_mb: u.dataMb, voice_minutes: u.voiceMinutes, sms: u.smsCount },
      })),
  },
  offers: {
    fields: { offer: 'offer code', accepted: 'true when the customer accepted it' },
    events: (h) =>
      h.offers.map((o) => ({
        day: dayNumber(o.offeredAt),
        fields: { offer: o.offerCode, accepted: o.acceptedAt !== null },
      })),
  },
  bills: {
    fields: {
      amount: 'bill amount in currency units',
      days_late: 'days paid after the due date (negative: early); null when unpaid',
      status: `on_time | late | missed (unpaid or paid ${MISSED_AFTER_DAYS}+ days late) | open (unpaid, due less than ${MISSED_AFTER_DAYS} days before the data ends)`,
    },
    // A bill falls on its due date: that is when it is paid on time or not.
    events: (h, lastDay) =>
      h.bills.map((b) => {
        const due = dayNumber(b.dueOn);
        const daysLate = b.paidAt === null ? null : dayNumber(b.paidAt) - due;
        const status =
          daysLate === null
            ? lastDay - due >= MISSED_AFTER_DAYS
              ? 'missed'
              : 'open'
            : daysLate >= MISSED_AFTER_DAYS
              ? 'missed'
              : daysLate > 0
                ? 'late'
                : 'on_time';
        return { day: due, fields: { amount: b.amountCents / 100, days_late: daysLate, status } };
      }),
  },
  engagement: {
    fields: { app_sessions: 'app sessions in the month', logins: 'logins', feature_uses: 'feature uses' },
    events: (h) =>
      h.engagement.map((e) => ({
        day: monthEnd(e.month),
        fields: { app_sessions: e.appSessions, logins: e.logins, feature_uses: e.featureUses },
      })),
  },
  campaigns: {
    fields: {
      campaign: 'campaign code',
      group: 'contacted | control',
      responded: 'true when the customer responded',
    },
    events: (h) =>
      h.campaigns.map((c) => ({
        day: dayNumber(c.contactedAt),
        fields: {
          campaign: c.campaignCode,
          group: c.controlGroup ? 'control' : 'contacted',
          responded: c.respondedAt !== null,
        },
      })),
  },
  support: {
    fields: { reason: 'contact reason' },
    events: (h) => h.support.map((s) => ({ day: dayNumber(s.occurredAt), fields: { reason: s.reason } })),
  },
  points: {
    fields: { points: 'points (negative when redeemed)', kind: 'earn | redeem' },
    events: (h) =>
      h.points.map((p) => ({ day: dayNumber(p.occurredAt), fields: { points: p.points, kind: p.kind } })),
  },
} satisfies Record<string, Family>;

export type EventFamily = keyof typeof EVENT_FAMILIES;
export const EVENT_FAMILY_NAMES = Object.keys(EVENT_FAMILIES) as EventFamily[];

export function fieldsOf(family: EventFamily): readonly string[] {
  return Object.keys(EVENT_FAMILIES[family].fields);
}

/**
 * A history's events of one family. Every target of a pipeline asks for the same customers'
 * events, so they are kept per history object (histories are not changed once read).
 */
export function eventsOf(history: CustomerHistory, family: EventFamily, lastDay: number): LabelEvent[] {
  let byFamily = memo.get(history);
  if (!byFamily) {
    byFamily = new Map();
    memo.set(history, byFamily);
  }
  const key = `${family}@${lastDay}`;
  let events = byFamily.get(key);
  if (!events) {
    events = (EVENT_FAMILIES[family] as Family).events(history, lastDay);
    byFamily.set(key, events);
  }
  return events;
}

const memo = new WeakMap<CustomerHistory, Map<string, LabelEvent[]>>();
