// The store league's rows (assets/web/src/league.js) on a chain's scale: the
// browser tests seed a handful of stores, too few to fold the league.
import assert from 'node:assert/strict';
import test from 'node:test';
import { LEAGUE_ENDS, leagueRows, rankStores } from '../../assets/web/src/league.js';

const nps = { get: (s) => s.nps, small: (s) => s.n < 30, better: 'up' };
const store = (i, score, n = 100) => ({ store_id: `S${String(i).padStart(4, '0')}`, nps: score, n });

test('stores rank best first, ties by id, too few answers last and unranked', () => {
  const ranked = rankStores([store(3, 10), store(1, 40), store(2, 10), store(4, 90, 5), store(5, null)], nps);
  assert.deepEqual(ranked.map((r) => [r.store.store_id, r.rank]),
    [['S0001', 1], ['S0002', 2], ['S0003', 3], ['S0004', null], ['S0005', null]]);
  const lower = { ...nps, better: 'down' };
  assert.deepEqual(rankStores([store(1, 40), store(2, 10)], lower).map((r) => r.store.store_id), ['S0002', 'S0001']);
});

test('a short league is shown whole', () => {
  const ranked = rankStores(Array.from({ length: 2 * LEAGUE_ENDS + 2 }, (_, i) => store(i, i)), nps);
  assert.deepEqual(leagueRows(ranked, false), { rows: ranked, hidden: 0 });
});

test("a chain's league shows its best and worst with the count between, and all on request", () => {
  // 2,000 stores, 37 with too few answers.
  const stores = Array.from({ length: 2000 }, (_, i) => store(i, (i * 37) % 201 - 100, i < 37 ? 10 : 100));
  const ranked = rankStores(stores, nps);
  const { rows, hidden } = leagueRows(ranked, false);
  assert.equal(rows.length, 2 * LEAGUE_ENDS + 1);
  assert.deepEqual(rows.slice(0, LEAGUE_ENDS).map((r) => r.rank), Array.from({ length: LEAGUE_ENDS }, (_, i) => i + 1));
  assert.deepEqual(rows[LEAGUE_ENDS], { gap: 1963 - 2 * LEAGUE_ENDS });
  assert.deepEqual(rows.slice(-LEAGUE_ENDS).map((r) => r.rank), Array.from({ length: LEAGUE_ENDS }, (_, i) => 1963 - LEAGUE_ENDS + 1 + i));
  assert.ok(rows.slice(-LEAGUE_ENDS).every((r, i, all) => i === 0 || r.store.nps <= all[i - 1].store.nps), 'worst last');
  assert.equal(hidden, 2000 - 2 * LEAGUE_ENDS);
  assert.deepEqual(leagueRows(ranked, true), { rows: ranked, hidden: 0 });
});

test('when few stores have enough answers, those are shown and the rest counted', () => {
  const stores = Array.from({ length: 40 }, (_, i) => store(i, i, i < 5 ? 100 : 3));
  const { rows, hidden } = leagueRows(rankStores(stores, nps), false);
  assert.deepEqual(rows.map((r) => r.rank), [1, 2, 3, 4, 5]);
  assert.equal(hidden, 35);
});
