import { FEATURE_NAMES, type FeatureRow } from '../features/feature-set.js';
import type { Action, ActionCatalog } from './action-catalog.js';

/** A contact already made or decided: when (epoch ms) and on which channel. */
export interface Contact {
  at: number;
  channel: string;
}

const DAY_MS = 86_400_000;

/**
 * Why the action may not be offered to this customer, one reason code per rule it breaks
 * (empty: eligible). Codes are stable for callers: SEGMENT, TIER, FEATURE:<name>.
 */
export function ineligibility(action: Action, row: FeatureRow): string[] {
  const e = action.eligibility;
  const reasons: string[] = [];
  if (e.segments && !e.segments.includes(row.scores.segment)) reasons.push('SEGMENT');
  if (e.tiers && !(e.tiers as readonly string[]).includes(row.tier)) reasons.push('TIER');
  for (const [feature, r] of Object.entries(e.features ?? {})) {
    const v = row.features[FEATURE_NAMES.indexOf(feature as (typeof FEATURE_NAMES)[number])]!;
    if ((r.gte !== undefined && v < r.gte) || (r.lte !== undefined && v > r.lte))
      reasons.push(`FEATURE:${feature}`);
  }
  return reasons;
}

/**
 * Which rules of the contact policy one more contact on `channel` at `now` would break, given
 * the contacts already made (reason codes QUIET_PERIOD and CAP:<channel>:<max>/<days>d).
 */
export function contactBlocks(
  policy: ActionCatalog['contactPolicy'],
  contacts: readonly Contact[],
  channel: string,
  now: number,
): string[] {
  const reasons: string[] = [];
  if (policy.quietDays > 0 && contacts.some((c) => c.at <= now && c.at > now - policy.quietDays * DAY_MS))
    reasons.push('QUIET_PERIOD');
  for (const cap of policy.caps) {
    if (cap.channel !== 'any' && cap.channel !== channel) continue;
    const from = now - cap.days * DAY_MS;
    const made = contacts.filter(
      (c) => c.at <= now && c.at > from && (cap.channel === 'any' || c.channel === cap.channel),
    ).length;
    if (made + 1 > cap.max) reasons.push(`CAP:${cap.channel}:${cap.max}/${cap.days}d`);
  }
  return reasons;
}

/** The longest look-back any rule of the policy needs, in days. */
export function policyWindowDays(policy: ActionCatalog['contactPolicy']): number {
  return Math.max(policy.quietDays, ...policy.caps.map((c) => c.days), 0);
}
