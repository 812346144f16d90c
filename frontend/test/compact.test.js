import { test } from "node:test";
import assert from "node:assert/strict";
import { expand } from "../src/core/compact.js";

test("a compact view bundle expands to the API's shape", () => {
  const compact = {
    compact: 1,
    S: 2,
    nodes: [{ code: "01", label: "A" }, { code: "02", label: "B" }],
    columns: {
      indicators: { co2: { value: [1.5, null], share: [1, null], rank: [1, null], percentile: [100, null] } },
      by_mode: { carbon: { pagerank: { value: [0.4, 0.6], share: [null, null], rank: [2, 1], percentile: [50, 100] } } },
    },
    links: { money: null },
  };
  const out = expand(compact);
  assert.equal(out.compact, undefined);
  assert.equal(out.columns, undefined);
  assert.deepEqual(out.nodes[0].indicators.co2, { value: 1.5, share: 1, rank: 1, percentile: 100 });
  assert.deepEqual(out.nodes[1].indicators.co2, { value: null, share: null, rank: null, percentile: null });
  assert.deepEqual(out.nodes[1].by_mode.carbon.pagerank, { value: 0.6, share: null, rank: 1, percentile: 100 });
  assert.equal(out.nodes[0].label, "A");
});

test("other payloads pass through", () => {
  const p = { key: "trade/demo/2017", rows: [1] };
  assert.equal(expand(p), p);
});

test("the rank order of a block is the server's: value descending, ties by position", async () => {
  const { rankOrder } = await import("../src/core/compact.js");
  assert.deepEqual(rankOrder([1, 3, 3, 0]), [2, 0, 1, 3]);
  assert.deepEqual(rankOrder([null, 2, 2]), [2, 0, 1]);
});
