import { Errors } from '../errors.js';
import { timedRead } from '../features/online-store.js';
import { type SqlBackend, tableExists } from '../features/sql/sql-backend.js';
import { NO_QUERY_OBSERVER } from '../telemetry/observers.js';

/** Counts of one group of a campaign: customers picked and those who responded. */
export interface GroupCounts {
  customers: number;
  responders: number;
}

/** The measured lift of a campaign (or of one segment of it): treated vs control. */
export interface Lift {
  campaign: string;
  /** The customers' segment now (empty: all segments together). */
  segment: string;
  treated: GroupCounts;
  control: GroupCounts;
  treatedRate: number;
  controlRate: number;
  /** treatedRate - controlRate. */
  lift: number;
  /** 95% interval of the lift (normal approximation of a difference of proportions). */
  low: number;
  high: number;
}

const Z95 = 1.959963984540054;

/** The lift and its 95% interval from the two groups' counts (NaN where a group is empty). */
export function liftOf(campaign: string, segment: string, treated: GroupCounts, control: GroupCounts): Lift {
  const rt = treated.responders / treated.customers;
  const rc = control.responders / control.customers;
  const se = Math.sqrt((rt * (1 - rt)) / treated.customers + (rc * (1 - rc)) / control.customers);
  const lift = rt - rc;
  return {
    campaign,
    segment,
    treated,
    control,
    treatedRate: rt,
    controlRate: rc,
    lift,
    low: lift - Z95 * se,
    high: lift + Z95 * se,
  };
}

/** At most this many campaigns per report. */
export const MAX_OUTCOME_CAMPAIGNS = 100;

/**
 * Campaign outcomes from the store's campaign history: per campaign, and per campaign and the
 * customers' current RFM segment, the response rates of the contacted and of the control group
 * and the lift between them. Counted by the database (one grouped query), whatever the size.
 */
export async function campaignOutcomes(
  backend: SqlBackend,
  campaigns: readonly string[],
  bySegment: boolean,
): Promise<Lift[]> {
  if (campaigns.length === 0 || campaigns.length > MAX_OUTCOME_CAMPAIGNS)
    throw Errors.invalidArgument(`give 1 to ${MAX_OUTCOME_CAMPAIGNS} campaign codes`);
  campaigns.forEach((c, i) => {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(c))
      throw Errors.invalidArgument(`campaigns[${i}] is not a campaign code`);
  });
  if (!(await tableExists(backend, 'campaign_contacts')))
    throw Errors.failedPrecondition('the store holds no campaign history (campaign_contacts)');
  const marks = campaigns.map(() => '?').join(', ');
  const segment = bySegment ? "COALESCE(o.segment, '')" : "''";
  const join = bySegment ? 'LEFT JOIN online_features o ON o.customer_id = cc.customer_id' : '';
  const rows = await timedRead(NO_QUERY_OBSERVER, () =>
    backend.selectArrays(
      `SELECT cc.campaign_code, ${segment} AS seg, cc.control_group, COUNT(*), SUM(CASE WHEN cc.responded_at IS NOT NULL THEN 1 ELSE 0 END)
     FROM campaign_contacts cc ${join} WHERE cc.campaign_code IN (${marks})
     GROUP BY cc.campaign_code, ${segment}, cc.control_group`,
      [...campaigns],
    ),
  );
  const groups = new Map<string, { campaign: string; segment: string; t: GroupCounts; c: GroupCounts }>();
  for (const [code, seg, control, n, r] of rows) {
    const key = `${String(code)}\u0000${String(seg)}`;
    const g = groups.get(key) ?? {
      campaign: String(code),
      segment: String(seg),
      t: { customers: 0, responders: 0 },
      c: { customers: 0, responders: 0 },
    };
    const target = Number(control) === 1 ? g.c : g.t;
    target.customers += Number(n);
    target.responders += Number(r);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) =>
      a.campaign === b.campaign ? (a.segment < b.segment ? -1 : 1) : a.campaign < b.campaign ? -1 : 1,
    )
    .map((g) => liftOf(g.campaign, g.segment, g.t, g.c));
}
