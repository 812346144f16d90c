// node --test: client-side edge pruning (src/prune.js), the rule of GET /api/network and
// viscarbon.calc.network.prune_edges, on a 3-sector block worked out by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { pruneView, topCount } from "../src/core/prune.js";

// values (row i supplies column j), row-major i·S + j; ranks by value, descending:
//   A→A 5 (rank 2)  A→B 0 (6)  A→C 1 (5)
//   B→A 3 (3)       B→B 9 (0)  B→C 0 (7)
//   C→A 0 (8)       C→B 2 (4)  C→C 7 (1)
function view({ emitterRanks = [null, null, null], nulls = [] } = {}) {
  const values = [5, 0, 1, 3, 9, 0, 0, 2, 7];
  for (const c of nulls) values[c] = null;
  return {
    S: 3,
    sectors: ["A", "B", "C"],
    links: { money: { values, rank: [2, 6, 5, 3, 0, 7, 8, 4, 1] } },
    nodes: [
      { code: "A", emitter_rank: emitterRanks[0], strongest: { money: { cell: 0 } } },
      { code: "B", emitter_rank: emitterRanks[1], strongest: { money: { cell: 4 } } },
      { code: "C", emitter_rank: emitterRanks[2], strongest: { money: { cell: 8 } } },
    ],
  };
}
const pairs = (edges) => edges.map((e) => `${e.source}>${e.target}${e.keptForEmitter ? "*" : ""}`);

test("topCount = floor(p·S²/100): 88 of 42×42 at 5 % (VisCEADs)", () => {
  assert.equal(topCount(5, 42), 88);
  assert.equal(topCount(2.5, 42), 44);
  assert.equal(topCount(10, 42), 176);
  assert.equal(topCount(100, 3), 9);
  assert.equal(topCount(0.01, 42), 0);
});

test("keeps the cells ranked below n, in rank order, with their values", () => {
  const edges = pruneView(view(), "money", 50, 0); // n = floor(4.5) = 4
  assert.deepEqual(pairs(edges), ["B>B", "C>C", "A>A", "B>A"]);
  assert.deepEqual(edges.map((e) => e.value), [9, 7, 5, 3]);
  assert.deepEqual(edges.map((e) => [e.i, e.j, e.rank]), [[1, 1, 0], [2, 2, 1], [0, 0, 2], [1, 0, 3]]);
});

test("zero and missing cells are never links, whatever their rank", () => {
  assert.equal(pruneView(view(), "money", 100, 0).length, 6); // 9 cells, 3 zeros
  assert.deepEqual(pairs(pruneView(view({ nulls: [4] }), "money", 50, 0)), ["C>C", "A>A", "B>A"]);
});

test("keep-k adds the strongest link of each invisible top-k emitter, in emitter-rank order", () => {
  // n = floor(1.08) = 1: only B→B; emitters C (rank 1) and A (rank 2) are invisible
  const v = view({ emitterRanks: [2, 3, 1] });
  assert.deepEqual(pairs(pruneView(v, "money", 12, 0)), ["B>B"]);
  assert.deepEqual(pairs(pruneView(v, "money", 12, 1)), ["B>B", "C>C*"]);
  assert.deepEqual(pairs(pruneView(v, "money", 12, 2)), ["B>B", "C>C*", "A>A*"]);
  // B (rank 3) is already visible: nothing more
  assert.deepEqual(pairs(pruneView(v, "money", 12, 3)), ["B>B", "C>C*", "A>A*"]);
});

test("an emitter already touched by a kept link adds nothing", () => {
  const v = view({ emitterRanks: [1, 2, 3] });
  // n = 4 keeps A→A, B→B, C→C, B→A: every node visible
  assert.deepEqual(pairs(pruneView(v, "money", 50, 3)), ["B>B", "C>C", "A>A", "B>A"]);
});

test("a mode without links gives no edges", () => {
  assert.deepEqual(pruneView(view(), "carbon", 5, 3), []);
});
