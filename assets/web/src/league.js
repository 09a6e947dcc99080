// The store league's rows (dashboard.js), apart from the page so that a test can
// reach them. Ranked on a KPI: stores with enough answers first, best first, then
// those with too few (unranked). A chain's league is thousands of stores: until
// asked for all, it shows the best and the worst few, the worst where a director
// looks for them, and says how many are between.

/** How many stores each end of a long league shows. */
export const LEAGUE_ENDS = 10;

/** Each store with its rank (null: too few answers), best first. */
export function rankStores(stores, kpi) {
  const small = (s) => kpi.small(s) || kpi.get(s) === null;
  const sorted = [...stores].sort((a, b) => {
    const sa = small(a);
    const sb = small(b);
    if (sa !== sb) return sa ? 1 : -1;
    const d = (kpi.get(b) ?? 0) - (kpi.get(a) ?? 0);
    return (kpi.better === 'up' ? d : -d) || a.store_id.localeCompare(b.store_id);
  });
  return sorted.map((store, i) => ({ store, rank: small(store) ? null : i + 1 }));
}

/**
 * The rows shown: every ranked store when `showAll` or the league is short;
 * otherwise the first and last `ends` ranked, with `{ gap }` (how many ranked
 * stores lie between) in the middle. `hidden` counts every store not shown.
 */
export function leagueRows(ranked, showAll, ends = LEAGUE_ENDS) {
  if (showAll || ranked.length <= 2 * ends + 2) return { rows: ranked, hidden: 0 };
  const placed = ranked.filter((r) => r.rank !== null);
  if (placed.length <= 2 * ends) return { rows: placed, hidden: ranked.length - placed.length };
  const rows = [...placed.slice(0, ends), { gap: placed.length - 2 * ends }, ...placed.slice(-ends)];
  return { rows, hidden: ranked.length - 2 * ends };
}
