// Trends, Sankey, Provinces, Trade and Compare tabs.
import { h, clear, option } from "./dom.js";
import { t, fmt } from "./i18n.js";
import { FONT, OKABE_ITO, SEQUENTIAL, MISSING_GREY, ramp } from "./charts.js";
import { escapeHtml, withUnit } from "./format.js";
import { ChartBox, TableBox } from "./widgets.js";
import { parseRef } from "./state.js";

// Compare tab: A and B in neutral greys; the difference in vermillion (B higher) and blue
// (B lower), the Okabe-Ito diverging pair that stays apart under colour-blindness.
const COMPARE = { a: "#BBBBBB", b: "#555555", up: "#D55E00", down: "#0072B2" };

const SYMBOLS = ["circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow"];

function nInput(app, id) {
  return h("input", {
    id,
    type: "number",
    min: "1",
    max: "60",
    step: "1",
    onchange: (e) => {
      const v = Number(e.target.value);
      if (Number.isInteger(v) && v >= 1 && v <= 60) app.update({ n: v });
      else e.target.value = String(app.state.n);
    },
  });
}

/**
 * A line chart over the years. series: [{name (short, legend), full (tooltip), values,
 * colour?, width?}]. Short names in the legend (a vertical list on the right), full names
 * in the tooltip; the y axis starts at 0 for non-negative data so no line is cut off.
 */
function lineOption(years, series, unitLabel, axisName) {
  const nonNegative = series.every((s) => s.values.every((v) => v === null || v >= 0));
  return {
    textStyle: { fontFamily: FONT },
    tooltip: {
      trigger: "axis",
      confine: true,
      formatter: (params) => {
        const list = [].concat(params).filter((p) => p.value !== null && p.value !== undefined && p.value !== "-");
        list.sort((a, b) => b.value - a.value);
        const head = list.length ? `<b>${escapeHtml(list[0].axisValue)}</b>` : "";
        const rows = list.map((p) => `${p.marker}${escapeHtml(series[p.seriesIndex].full || p.seriesName)}: <b>${escapeHtml(fmt(p.value))}</b> ${escapeHtml(unitLabel)}`);
        return [head, ...rows].join("<br>");
      },
    },
    legend: { type: "scroll", orient: "vertical", right: 0, top: 10, bottom: 10, width: 150, textStyle: { fontSize: 11, width: 130, overflow: "truncate" }, tooltip: { show: true } },
    grid: { left: 70, right: 175, top: 34, bottom: 40 },
    xAxis: { type: "category", data: years.map(String), boundaryGap: false, name: axisName, nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "value", min: nonNegative ? 0 : null, name: unitLabel, nameTextStyle: { align: "left" }, axisLabel: { formatter: (v) => fmt(v, 3) } },
    series: series.map((s, k) => {
      const slot = s.slot === undefined ? k : s.slot;
      return {
        type: "line",
        name: s.name,
        data: s.values,
        symbol: SYMBOLS[slot % SYMBOLS.length],
        symbolSize: 7,
        connectNulls: false,
        lineStyle: { width: s.width || 2, type: slot >= OKABE_ITO.length ? "dashed" : "solid" },
        itemStyle: { color: s.colour || OKABE_ITO[slot % OKABE_ITO.length] },
      };
    }),
  };
}

// ---------------------------------------------------------------- Trends
export class TrendsView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.n = nInput(this.app, "vc-trends-n");
    panel.appendChild(h("div", { class: "vc-filters" }, h("label", { class: "vc-inline" }, t("web.topn"), this.n), h("small", null, t("web.trends.hint"))));
    this.mrio = new ChartBox(this.app, { id: "trends", getMeta: () => this.meta("mrio") });
    this.inv = new ChartBox(this.app, { id: "inventory-trend", getMeta: () => this.meta("inv") });
    panel.appendChild(this.mrio.el);
    panel.appendChild(this.inv.el);
  }

  meta(which) {
    const p = which === "mrio" ? this.lastMrio : this.lastInv;
    const units = this.app.units();
    return this.app.downloadMeta({
      title: which === "mrio" ? this.mrio.heading.textContent : this.inv.heading.textContent,
      units: p ? units[p.unit] || p.unit : "",
      years: p && p.years ? p.years.join(", ") : "",
    });
  }

  resize() {
    this.mrio.resize();
    this.inv.resize();
  }

  /** Series of the payload with short (legend) and full (tooltip) sector names. */
  named(list, dataset) {
    const known = new Map(this.app.sectors(dataset).map((x) => [x.code, x]));
    return list.map((x) => {
      const sec = known.get(x.code) || {};
      const full = x.label || sec.label || x.code;
      return { code: x.code, name: x.short || sec.short || full, full: `${full} (${x.code})`, values: x.values, slot: this.slot(x.code) };
    });
  }

  /** The same sector keeps its colour, symbol and dash in both charts. */
  slot(code) {
    if (!this.slots.has(code)) this.slots.set(code, this.slots.size);
    return this.slots.get(code);
  }

  async render(state) {
    this.n.value = String(state.n);
    const units = this.app.units();
    const ind = this.app.indicator(state.indicator) || { label: state.indicator };
    const region = this.app.regionLabel(state.region);
    this.mrio.setTitle(t("web.trends.title", { region, indicator: ind.label, n: state.n }));
    this.inv.setTitle(t("web.trends.inventory_title", { region, n: state.n }));
    const [trend, inv] = await Promise.all([
      this.app.src.get("trends", { dataset: state.dataset, region: state.region, indicator: state.indicator, top: 0 }),
      this.app.src.get("inventory-trend", { dataset: state.dataset, region: state.region, top: 0 }).catch((e) => ({ available: false, note: e.message })),
    ]);
    this.lastMrio = trend;
    this.lastInv = inv;
    this.slots = new Map();
    const unit = units[trend.unit] || trend.unit;
    const series = this.named(trend.series.slice(0, state.n), state.dataset);
    this.mrio.set(lineOption(trend.years, series, unit, t("web.axis.year")));
    this.mrio.note.textContent = t("web.trends.note", { count: trend.series.length, years: trend.years.join(", ") });
    if (inv.available) {
      const iu = units[inv.unit] || inv.unit;
      const s = this.named(inv.series.slice(0, state.n), state.dataset);
      if (inv.total && inv.total.length) s.unshift({ name: t("web.total"), full: t("web.trends.total_full"), values: inv.total, colour: "#444444", width: 3, slot: 0 });
      this.inv.set(lineOption(inv.years, s, iu, t("web.axis.year")));
      this.inv.note.textContent = inv.note || t("web.trends.inventory_note", { first: inv.years[0], last: inv.years[inv.years.length - 1] });
    } else {
      this.inv.clear();
      this.inv.note.textContent = inv.note || t("web.trends.no_inventory");
    }
  }
}

// ---------------------------------------------------------------- Sankey
export class SankeyView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.n = nInput(this.app, "vc-sankey-n");
    panel.appendChild(h("div", { class: "vc-filters" }, h("label", { class: "vc-inline" }, t("web.topn"), this.n), h("small", null, t("web.sankey.hint"))));
    this.box = new ChartBox(this.app, { id: "sankey", cls: "vc-chart-tall", getMeta: () => this.meta() });
    panel.appendChild(this.box.el);
  }

  meta() {
    const s = this.app.state;
    const m = (this.app.meta.modes || []).find((x) => x.code === s.mode) || {};
    return this.app.downloadMeta({ title: this.box.heading.textContent, units: this.app.units()[m.unit] || m.unit || "" });
  }

  resize() {
    this.box.resize();
  }

  /** The top-N flows as a bipartite supplier → user graph (cycle-free by construction). */
  static flows(view, mode, n) {
    const links = view.links && view.links[mode];
    if (!links || !links.values) return { nodes: [], links: [] };
    const S = view.S;
    const cells = [];
    for (let c = 0; c < links.values.length; c++) if (links.values[c] > 0) cells.push(c);
    cells.sort((a, b) => links.rank[a] - links.rank[b]);
    const chosen = cells.slice(0, n);
    const nodes = new Map();
    const out = [];
    for (const c of chosen) {
      const i = Math.floor(c / S);
      const j = c % S;
      const a = `s:${view.sectors[i]}`;
      const b = `u:${view.sectors[j]}`;
      if (!nodes.has(a)) nodes.set(a, { name: a, node: view.nodes[i], side: "s", depth: 0 });
      if (!nodes.has(b)) nodes.set(b, { name: b, node: view.nodes[j], side: "u", depth: 1 });
      out.push({ source: a, target: b, value: links.values[c], i, j });
    }
    return { nodes: [...nodes.values()], links: out };
  }

  async render(state, view) {
    this.n.value = String(state.n);
    const units = this.app.units();
    const m = (this.app.meta.modes || []).find((x) => x.code === state.mode) || { unit: "" };
    this.box.setTitle(t("web.sankey.title", { n: state.n, mode: t(`web.mode.${state.mode}`), region: this.app.regionLabel(state.region), year: state.year }));
    const { nodes, links } = SankeyView.flows(view, state.mode, state.n);
    if (!links.length) {
      this.box.clear();
      this.box.note.textContent = t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
      return;
    }
    this.box.note.textContent = t("web.sankey.note", { unit: units[m.unit] || m.unit || "" });
    const label = (name) => {
      const x = nodes.find((k) => k.name === name);
      return x ? x.node.short || x.node.label : name;
    };
    this.box.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: {
          trigger: "item",
          confine: true,
          formatter: (p) => {
            if (p.dataType === "edge") {
              return `${escapeHtml(label(p.data.source))} → ${escapeHtml(label(p.data.target))}<br><b>${escapeHtml(withUnit(p.data.value, m.unit, units))}</b>`;
            }
            const side = p.name.startsWith("s:") ? t("web.sankey.supplier") : t("web.sankey.user");
            return `${escapeHtml(label(p.name))} (${escapeHtml(side)})<br><b>${escapeHtml(withUnit(p.value, m.unit, units))}</b>`;
          },
        },
        graphic: [
          { type: "text", left: 10, top: 2, style: { text: t("web.sankey.suppliers"), font: `bold 12px ${FONT}` } },
          { type: "text", right: 10, top: 2, style: { text: t("web.sankey.users"), font: `bold 12px ${FONT}` } },
        ],
        series: [
          {
            type: "sankey",
            top: 24,
            bottom: 10,
            left: 10,
            right: 150,
            nodeAlign: "justify",
            layoutIterations: 32,
            emphasis: { focus: "adjacency" },
            data: nodes.map((x) => ({ name: x.name, depth: x.depth, itemStyle: { color: x.node.colour || this.app.family(x.node.family).colour } })),
            links: links.map((l) => ({ source: l.source, target: l.target, value: l.value })),
            lineStyle: { color: "gradient", opacity: 0.35 },
            label: { formatter: (p) => label(p.name), fontSize: 11 },
          },
        ],
      },
      { notMerge: true },
    );
  }
}

// ---------------------------------------------------------------- Provinces
// Fallback tile grid [row, column] when /api/meta has no tiles (rough geography of China).
const TILES = {
  HL: [0, 9], JL: [1, 9], LN: [2, 9], NM: [1, 6], BJ: [2, 7], TJ: [2, 8], HE: [3, 7], SX: [3, 6], SD: [3, 8],
  XJ: [2, 1], GS: [3, 4], NX: [3, 5], QH: [4, 3], SN: [4, 5], HA: [4, 6], JS: [4, 8], XZ: [5, 2], SC: [5, 4],
  CQ: [5, 5], HB: [5, 6], AH: [5, 7], SH: [5, 9], ZJ: [6, 8], JX: [6, 7], HN: [6, 6], GZ: [6, 5], YN: [7, 4],
  GX: [7, 5], GD: [7, 6], FJ: [7, 7], HI: [8, 6],
};

// Tile labels fit their tile: a long two-word name ("Inner Mongolia") on two lines, the font
// shrunk (to 8 px at least) so the longest line is no wider than the tile.
function tileName(label, w) {
  return label.length * 0.56 * Math.min(12, w / 6) > w - 6 && label.includes(" ") ? label.replace(" ", "\n") : label;
}

function tileFont(label, w) {
  const longest = Math.max(...tileName(label, w).split("\n").map((l) => [...l].reduce((n, ch) => n + (/[\u2e80-\u9fff]/.test(ch) ? 1.8 : 1), 0)));
  return Math.max(8, Math.min(12, w / 6, (w - 6) / (0.56 * longest)));
}

export class ProvincesView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.map = new ChartBox(this.app, { id: "provinces-map", getMeta: () => this.meta() });
    this.bars = new ChartBox(this.app, { id: "provinces", getMeta: () => this.meta() });
    this.pc = new ChartBox(this.app, { id: "provinces-pc", getMeta: () => this.meta("mt") });
    this.table = new TableBox(this.app, { id: "provinces", getMeta: () => this.meta() });
    this.grid = h("div", { class: "vc-grid2" }, this.map.el, this.bars.el);
    this.scope = h("div", { class: "vc-notice vc-info", id: "vc-provinces-scope", hidden: true });
    panel.appendChild(this.scope);
    panel.appendChild(this.grid);
    panel.appendChild(this.pc.el);
    panel.appendChild(this.table.el);
  }

  meta(unit) {
    const p = this.last;
    const units = this.app.units();
    return this.app.downloadMeta({
      title: t("web.provinces.title", { indicator: (this.app.indicator(this.app.state.indicator) || {}).label, year: this.app.state.year }),
      region: "all",
      units: unit ? units[unit] : p ? `value=${units[p.unit] || p.unit}; production_mt, consumption_mt=${units.mt || "Mt CO2"}` : "",
    });
  }

  resize() {
    this.map.resize();
    this.bars.resize();
    this.pc.resize();
    this.table.redraw();
  }

  async render(state) {
    const p = await this.app.src.get("provinces", { dataset: state.dataset, year: state.year, indicator: state.indicator });
    this.last = p;
    const units = this.app.units();
    const unit = units[p.unit] || p.unit;
    const ind = this.app.indicator(state.indicator) || { label: state.indicator };
    const rows = p.rows.slice();
    this.map.setTitle(t("web.provinces.map_title", { indicator: ind.label, year: state.year }));
    this.bars.setTitle(t("web.provinces.title", { indicator: ind.label, year: state.year }));
    this.pc.setTitle(t("web.provinces.pc_title", { year: state.year }));
    this.table.setTitle(t("web.provinces.table_title", { year: state.year }));

    // a national table (one region): no map and no ranking, say why
    const single = this.app.singleRegion(state.dataset) || rows.length === 1;
    this.grid.hidden = single;
    this.scope.hidden = !single;
    this.scope.textContent = single ? t("web.single_region.provinces", { region: this.app.regionLabel(rows.length ? rows[0].code : state.region) }) : "";
    if (single) {
      this.map.clear();
      this.bars.clear();
    } else {
      this.map.resize();
      this.bars.resize();
      this.drawMapAndBars(state, p, rows, ind, unit, units);
    }
    this.drawPc(state, rows, units);
    this.drawTable(rows, ind, unit, units);
  }

  drawMapAndBars(state, p, rows, ind, unit, units) {
    // tile-grid map
    const known = rows.filter((r) => r.value !== null);
    const vmin = Math.min(...known.map((r) => r.value));
    const vmax = Math.max(...known.map((r) => r.value));
    const tiles = rows.map((r) => {
      const meta = (this.app.meta.regions || []).find((x) => x.code === r.code) || {};
      const tile = r.tile || meta.tile || TILES[r.code] || [9, 0];
      const q = r.value === null ? NaN : vmax === vmin ? 0.5 : (r.value - vmin) / (vmax - vmin);
      return { value: [tile[1], tile[0], r.value], code: r.code, label: r.label, status: r.status, colour: r.value === null ? MISSING_GREY : ramp(SEQUENTIAL, q), dark: q > 0.45 };
    });
    const maxRow = Math.max(...tiles.map((x) => x.value[1])) + 1;
    const maxCol = Math.max(...tiles.map((x) => x.value[0])) + 1;
    this.map.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: {
          confine: true,
          formatter: (x) => {
            const d = x.data;
            const extra = d.status === "missing" ? `<br><i>${escapeHtml(t("common.missing_inventory"))}</i>` : d.status === "imputed" ? `<br><i>${escapeHtml(t("web.provinces.imputed"))}</i>` : "";
            return `<b>${escapeHtml(d.label)}</b> (${d.code})<br>${escapeHtml(ind.label)}: ${escapeHtml(withUnit(d.value[2], p.unit, units))}${extra}`;
          },
        },
        grid: { left: 4, right: 4, top: 4, bottom: 4 },
        xAxis: { type: "value", min: 0, max: maxCol, show: false },
        yAxis: { type: "value", min: 0, max: maxRow, inverse: true, show: false },
        series: [
          {
            type: "custom",
            data: tiles,
            renderItem: (params, api) => {
              const d = tiles[params.dataIndex];
              const tl = api.coord([d.value[0], d.value[1]]);
              const br = api.coord([d.value[0] + 1, d.value[1] + 1]);
              const w = br[0] - tl[0];
              const hgt = br[1] - tl[1];
              const selected = d.code === this.app.state.region;
              return {
                type: "group",
                children: [
                  { type: "rect", shape: { x: tl[0] + 1.5, y: tl[1] + 1.5, width: w - 3, height: hgt - 3, r: 3 }, style: { fill: d.colour, stroke: selected ? "#000" : d.status === "imputed" ? "#8a1c00" : "#fff", lineWidth: selected ? 2.5 : d.status === "imputed" ? 1.5 : 1, lineDash: d.status === "imputed" ? [4, 3] : null } },
                  { type: "text", style: { x: tl[0] + w / 2, y: tl[1] + hgt / 2, text: `${tileName(d.label, w)}\n${d.value[2] === null ? "–" : fmt(d.value[2], 3)}${d.status === "imputed" ? "*" : ""}`, align: "center", verticalAlign: "middle", fill: d.dark ? "#fff" : "#111", font: `${tileFont(d.label, w)}px ${FONT}` } },
                ],
              };
            },
          },
        ],
      },
      { notMerge: true },
    );
    this.map.note.textContent = t("web.provinces.map_note", { unit }) + (rows.some((r) => r.status === "imputed") ? ` ${t("web.provinces.imputed")}` : "");
    this.map.chart.off("click");
    this.map.chart.on("click", (x) => x.data && this.app.update({ region: x.data.code }));

    // all regions, sorted
    const sorted = rows.slice().sort((a, b) => (b.value === null ? -Infinity : b.value) - (a.value === null ? -Infinity : a.value));
    this.bars.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "axis", confine: true, valueFormatter: (v) => withUnit(v, p.unit, units) },
        grid: { left: 70, right: 20, top: 20, bottom: 60 },
        xAxis: { type: "category", data: sorted.map((r) => r.label), axisLabel: { rotate: 60, fontSize: 10, interval: 0 } },
        yAxis: { type: "value", name: unit, axisLabel: { formatter: (v) => fmt(v, 3) } },
        series: [
          {
            type: "bar",
            name: ind.label,
            data: sorted.map((r) => ({ value: r.value, itemStyle: { color: r.code === state.region ? "#D55E00" : r.value === null ? MISSING_GREY : "#0072B2" } })),
          },
        ],
      },
      { notMerge: true },
    );
    const missing = rows.filter((r) => r.value === null).map((r) => r.label);
    this.bars.note.textContent = missing.length ? t("web.provinces.missing", { regions: missing.join(", ") }) : "";
  }

  drawPc(state, rows, units) {
    // production- vs consumption-based CO2
    const pcs = rows.slice().sort((a, b) => (b.production_mt || 0) - (a.production_mt || 0));
    this.pc.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "axis", confine: true, valueFormatter: (v) => withUnit(v, "mt", units) },
        legend: { top: 0 },
        grid: { left: 70, right: 20, top: 30, bottom: 60 },
        xAxis: { type: "category", data: pcs.map((r) => r.label), axisLabel: { rotate: 60, fontSize: 10, interval: 0 } },
        yAxis: { type: "value", name: units.mt || "Mt CO2" },
        series: [
          { type: "bar", name: t("web.provinces.production"), data: pcs.map((r) => r.production_mt), itemStyle: { color: "#E69F00" } },
          { type: "bar", name: t("web.provinces.consumption"), data: pcs.map((r) => r.consumption_mt), itemStyle: { color: "#56B4E9" } },
        ],
      },
      { notMerge: true },
    );
    this.pc.note.textContent = t("web.provinces.pc_note");
  }

  drawTable(rows, ind, unit, units) {
    const tableRows = rows.map((r) => ({ id: r.code, code: r.code, label: r.label, value: r.value, rank: r.rank, status: r.status, production_mt: r.production_mt, consumption_mt: r.consumption_mt }));
    const num = (c) => fmt(c.getValue());
    this.table.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 76 },
        { title: t("web.col.region"), field: "label", minWidth: 110 },
        { title: `${ind.label} [${unit}]`, field: "value", hozAlign: "right", sorter: "number", formatter: num },
        { title: t("web.col.rank"), field: "rank", hozAlign: "right", sorter: "number" },
        { title: `${t("web.provinces.production")} [${units.mt}]`, field: "production_mt", hozAlign: "right", sorter: "number", formatter: num },
        { title: `${t("web.provinces.consumption")} [${units.mt}]`, field: "consumption_mt", hozAlign: "right", sorter: "number", formatter: num },
        { title: t("web.col.status"), field: "status" },
      ],
      tableRows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.region"), searchable: true },
        { field: "value", title: ind.label, unit },
        { field: "rank", title: t("web.col.rank") },
        { field: "production_mt", title: t("web.provinces.production"), unit: units.mt },
        { field: "consumption_mt", title: t("web.provinces.consumption"), unit: units.mt },
        { field: "status", title: t("web.col.status"), searchable: true },
      ],
      { height: "auto", initialSort: [{ column: "value", dir: "desc" }] },
    );
  }
}

// ---------------------------------------------------------------- Trade
export class TradeView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.heat = new ChartBox(this.app, { id: "trade", cls: "vc-chart-square", getMeta: () => this.meta() });
    this.partners = new ChartBox(this.app, { id: "trade-partners", getMeta: () => this.meta() });
    this.table = new TableBox(this.app, { id: "trade", getMeta: () => this.meta() });
    this.grid = h("div", { class: "vc-grid2" }, this.heat.el, this.partners.el);
    this.scope = h("div", { class: "vc-notice vc-info", id: "vc-trade-scope", hidden: true });
    panel.appendChild(this.scope);
    panel.appendChild(this.grid);
    this.tableNote = h("p", { class: "vc-box-note", id: "vc-trade-note" }, t("web.trade.table_note"));
    this.table.el.appendChild(this.tableNote);
    panel.appendChild(this.table.el);
  }

  meta() {
    return this.app.downloadMeta({ title: t("web.trade.title", { year: this.app.state.year }), units: this.app.units().mt || "Mt CO2" });
  }

  resize() {
    this.heat.resize();
    this.partners.resize();
    this.table.redraw();
  }

  async render(state) {
    const tr = await this.app.src.get("trade", { dataset: state.dataset, year: state.year, region: state.region });
    const units = this.app.units();
    const unit = units[tr.unit] || tr.unit;
    const label = (code) => this.app.regionLabel(code);
    const regions = tr.regions;
    // a national table (one region): a 1 × 1 matrix and no partners; say why instead
    const single = this.app.singleRegion(state.dataset) || regions.length === 1;
    this.grid.hidden = single;
    this.scope.hidden = !single;
    this.scope.textContent = single ? t("web.single_region.trade", { region: label(regions[0] || state.region) }) : "";
    if (single) {
      this.heat.clear();
      this.partners.clear();
    } else {
      this.heat.resize();
      this.partners.resize();
      this.drawCharts(state, tr, units, unit, label, regions);
    }
    this.drawTable(state, tr, unit, label);
  }

  drawCharts(state, tr, units, unit, label, regions) {
    this.heat.setTitle(t("web.trade.title", { year: state.year }));
    const cells = [];
    const all = [];
    tr.matrix.forEach((row, r) => row.forEach((v, s) => {
      cells.push([s, r, v === null ? "-" : v]);
      if (v !== null && v > 0) all.push(v);
    }));
    all.sort((a, b) => a - b);
    const hi = all.length ? all[Math.floor(0.95 * (all.length - 1))] : 1;
    this.heat.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: {
          confine: true,
          formatter: (p) => `${escapeHtml(t("web.trade.cell", { r: label(regions[p.data[1]]), s: label(regions[p.data[0]]) }))}<br><b>${escapeHtml(withUnit(p.data[2] === "-" ? null : p.data[2], tr.unit, units))}</b>`,
        },
        grid: { left: 100, right: 20, top: 10, bottom: 150 },
        xAxis: { type: "category", data: regions.map(label), name: t("web.trade.for"), nameLocation: "middle", nameGap: 78, nameTextStyle: { fontWeight: "bold" }, axisLabel: { rotate: 90, fontSize: 10, interval: 0 }, splitArea: { show: false } },
        yAxis: { type: "category", data: regions.map(label), name: t("web.trade.in"), nameLocation: "middle", nameRotate: 90, nameGap: 84, nameTextStyle: { fontWeight: "bold" }, inverse: true, axisLabel: { fontSize: 10, interval: 0 } },
        visualMap: { min: 0, max: hi, calculable: true, orient: "horizontal", left: "center", bottom: 4, itemHeight: 160, inRange: { color: SEQUENTIAL }, text: [`≥ ${fmt(hi, 3)} ${unit}`, ""], textStyle: { fontSize: 10 } },
        series: [{ type: "heatmap", data: cells, progressive: 0, emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } } }],
      },
      { notMerge: true },
    );
    this.heat.note.textContent = t("web.trade.note");

    const pr = tr.partners || { emitted_for_others: [], others_emit_for: [] };
    this.partners.setTitle(t("web.trade.partners_title", { region: label(state.region), year: state.year }));
    const codes = [...new Set([...(pr.emitted_for_others || []).map((x) => x.code), ...(pr.others_emit_for || []).map((x) => x.code)])];
    const val = (list, code) => {
      const x = (list || []).find((k) => k.code === code);
      return x ? x.value : null;
    };
    this.partners.set(
      {
        textStyle: { fontFamily: FONT },
        tooltip: { trigger: "axis", confine: true, valueFormatter: (v) => withUnit(v, tr.unit, units) },
        legend: { top: 0 },
        grid: { left: 90, right: 20, top: 50, bottom: 30 },
        yAxis: { type: "category", data: codes.map(label), inverse: true },
        xAxis: { type: "value", name: unit },
        series: [
          { type: "bar", name: t("web.trade.emits_for", { region: label(state.region) }), data: codes.map((c) => val(pr.emitted_for_others, c)), itemStyle: { color: "#D55E00" } },
          { type: "bar", name: t("web.trade.emitted_for", { region: label(state.region) }), data: codes.map((c) => val(pr.others_emit_for, c)), itemStyle: { color: "#0072B2" } },
        ],
      },
      { notMerge: true },
    );

  }

  drawTable(state, tr, unit, label) {
    this.table.setTitle(t("web.trade.table_title", { year: state.year }));
    const net = new Map((tr.net_transfer || []).map((x) => [x.code, x.value]));
    const rows = (tr.electricity || []).map((e) => ({
      id: e.code,
      code: e.code,
      label: label(e.code),
      production_mt: e.production_mt,
      adjusted_mt: e.adjusted_mt,
      difference_mt: e.difference_mt,
      net_transfer_mt: net.has(e.code) ? net.get(e.code) : null,
    }));
    // rounding noise of a difference of equal totals (e.g. -1.8e-12 Mt) is shown as 0
    const num = (c) => {
      const v = c.getValue();
      return fmt(typeof v === "number" && Math.abs(v) < 1e-9 ? 0 : v);
    };
    const cols = [
      ["production_mt", t("web.trade.production")],
      ["adjusted_mt", t("web.trade.adjusted")],
      ["difference_mt", t("web.trade.difference")],
      ["net_transfer_mt", t("web.trade.net")],
    ];
    this.table.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 76 },
        { title: t("web.col.region"), field: "label", minWidth: 110 },
        ...cols.map(([f, title]) => ({ title: `${title} [${unit}]`, field: f, hozAlign: "right", sorter: "number", formatter: num })),
      ],
      rows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.region"), searchable: true },
        ...cols.map(([f, title]) => ({ field: f, title, unit })),
      ],
      { height: "auto", initialSort: [{ column: "production_mt", dir: "desc" }] },
    );
  }
}

// ---------------------------------------------------------------- Compare
export class CompareView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.bDataset = h("select", { id: "vc-compare-dataset", onchange: () => this.fillYears() });
    this.bYear = h("select", { id: "vc-compare-year" });
    this.bRegion = h("select", { id: "vc-compare-region" });
    this.go = h("button", { type: "button", id: "vc-compare-go", class: "vc-primary", onclick: () => this.app.update({ compare: `${this.bDataset.value}:${this.bYear.value}:${this.bRegion.value}` }) }, t("web.compare.go"));
    this.summary = h("p", { class: "vc-stats", id: "vc-compare-summary" });
    panel.appendChild(h("div", { class: "vc-filters" }, h("strong", null, t("web.compare.b")),
      h("label", { class: "vc-inline" }, t("web.dataset"), this.bDataset),
      h("label", { class: "vc-inline" }, t("web.year"), this.bYear),
      h("label", { class: "vc-inline" }, t("web.region"), this.bRegion), this.go));
    panel.appendChild(this.summary);
    this.chart = new ChartBox(this.app, { id: "compare", cls: "vc-chart-tall", getMeta: () => this.meta() });
    this.totals = new TableBox(this.app, { id: "compare-totals", search: false, getMeta: () => this.meta() });
    this.table = new TableBox(this.app, { id: "compare", getMeta: () => this.meta() });
    panel.appendChild(this.chart.el);
    panel.appendChild(this.totals.el);
    panel.appendChild(this.table.el);
  }

  meta() {
    const b = this.ref;
    return this.app.downloadMeta({
      title: this.chart.heading.textContent,
      compare_a: `${this.app.state.dataset}:${this.app.state.year}:${this.app.state.region}`,
      compare_b: b ? `${b.dataset}:${b.year}:${b.region}` : "",
      diff: "b - a",
    });
  }

  resize() {
    this.chart.resize();
    this.table.redraw();
    this.totals.redraw();
  }

  fillYears(year, region) {
    const ds = this.app.dataset(this.bDataset.value);
    const keep = year || Number(this.bYear.value);
    clear(this.bYear);
    for (const y of (ds && ds.years) || []) this.bYear.appendChild(option(y, String(y), y === keep));
    // the regions of B's dataset (only China for a national table)
    const wanted = region || this.bRegion.value;
    const regions = this.app.regionsOf(this.bDataset.value);
    const pick = regions.some((r) => r.code === wanted) ? wanted : regions.some((r) => r.code === "GD") ? "GD" : regions.length ? regions[0].code : "";
    clear(this.bRegion);
    for (const r of regions) this.bRegion.appendChild(option(r.code, this.app.regionOption(r), r.code === pick));
  }

  /** B defaults to the same province in another year (the first), else another province. */
  defaultRef(state) {
    const ds = this.app.dataset(state.dataset);
    const other = ds.years.find((y) => y !== state.year);
    if (other !== undefined) return { dataset: ds.name, year: other, region: state.region };
    const r = this.app.regionsOf(ds.name).find((x) => x.code !== state.region);
    return { dataset: ds.name, year: state.year, region: r ? r.code : state.region };
  }

  async render(state, viewA) {
    const ref = parseRef(state.compare, this.app.meta) || this.defaultRef(state);
    this.ref = ref;
    clear(this.bDataset);
    for (const d of this.app.meta.datasets || []) this.bDataset.appendChild(option(d.name, d.name, d.name === ref.dataset));
    this.fillYears(ref.year, ref.region);
    const viewB = await this.app.src.get("view", ref);
    const units = this.app.units();
    const inds = (this.app.meta.indicators || []).filter((i) => viewA.nodes[0] && viewA.nodes[0].indicators[i.code] !== undefined);
    const labelA = `${this.app.regionLabel(state.region)} ${state.year}`;
    const labelB = `${this.app.regionLabel(ref.region)} ${ref.year}`;
    const ind = this.app.indicator(state.indicator) || { code: state.indicator, label: state.indicator, unit: "" };
    const unit = units[ind.unit] || ind.unit;
    const diffName = t("web.compare.diff_named", { a: labelA, b: labelB });
    const upName = t("web.compare.up", { a: labelA, b: labelB });
    const downName = t("web.compare.down", { a: labelA, b: labelB });
    const ratioName = t("web.compare.ratio", { a: labelA, b: labelB });
    this.summary.textContent = t("web.compare.summary", { a: labelA, b: labelB });
    this.chart.setTitle(t("web.compare.title", { indicator: ind.label, a: labelA, b: labelB }));

    // totals of additive indicators (those with shares); intensity as CO2 / output
    const sum = (view, code) => {
      let s = 0;
      for (const n of view.nodes) {
        const x = n.indicators[code];
        if (!x || x.value === null) return null;
        s += x.value;
      }
      return s;
    };
    const additive = inds.filter((i) => i.unit !== "dimensionless" && viewA.nodes.some((n) => n.indicators[i.code] && n.indicators[i.code].share !== null && n.indicators[i.code].share !== undefined));
    const totals = additive.map((i) => {
      const a = sum(viewA, i.code);
      const b = sum(viewB, i.code);
      // province totals of money in 100 million yuan (亿元), the unit of official statistics
      const big = i.unit === "10k_yuan" && units["100m_yuan"];
      const k = big ? 1e-4 : 1;
      const sa = a === null ? null : a * k;
      const sb = b === null ? null : b * k;
      return { id: i.code, indicator: i.label, unit: big ? units["100m_yuan"] : units[i.unit] || i.unit, a: sa, b: sb, diff: sa === null || sb === null ? null : sb - sa, ratio: a ? (b === null ? null : b / a) : null };
    });
    const num = (c) => fmt(c.getValue());
    this.totals.setTitle(t("web.compare.totals", { a: labelA, b: labelB }));
    this.totals.setData(
      [
        { title: t("web.col.indicator"), field: "indicator", minWidth: 160 },
        { title: t("web.col.unit"), field: "unit" },
        { title: labelA, field: "a", hozAlign: "right", formatter: num, sorter: "number" },
        { title: labelB, field: "b", hozAlign: "right", formatter: num, sorter: "number" },
        { title: diffName, field: "diff", hozAlign: "right", formatter: num, sorter: "number" },
        { title: ratioName, field: "ratio", hozAlign: "right", formatter: num, sorter: "number" },
      ],
      totals,
      [
        { field: "id", title: t("web.col.code") },
        { field: "indicator", title: t("web.col.indicator") },
        { field: "unit", title: t("web.col.unit") },
        { field: "a", title: labelA },
        { field: "b", title: labelB },
        { field: "diff", title: diffName },
        { field: "ratio", title: ratioName },
      ],
      { height: "auto" },
    );

    // the same codes may mean other sectors in another list (NBS 2015 is 2012-style: 25 = power;
    // 2017-style: 24 = power), so the sector names must agree too
    const same = viewA.sectors.length === viewB.sectors.length && viewA.sectors.every((c, k) => c === viewB.sectors[k])
      && viewA.nodes.every((n, k) => viewB.nodes[k] && n.label === viewB.nodes[k].label);
    const rows = [];
    if (same) {
      viewA.nodes.forEach((n, k) => {
        const m = viewB.nodes[k];
        const a = n.indicators[ind.code] ? n.indicators[ind.code].value : null;
        const b = m.indicators[ind.code] ? m.indicators[ind.code].value : null;
        rows.push({ id: n.code, code: n.code, label: n.short || n.label, full: n.label, a, b, diff: a === null || b === null ? null : b - a, ratio: a ? (b === null ? null : b / a) : null });
      });
    }
    if (!same) {
      this.chart.clear();
      this.chart.note.textContent = t("web.compare.mismatch");
    } else {
      const sorted = rows.slice().sort((x, y) => Math.abs(y.diff || 0) - Math.abs(x.diff || 0)).slice(0, 20);
      // A and B in neutral greys, the difference in a colour-blind-safe diverging pair
      // (vermillion = B higher, blue = B lower), one legend entry per sign
      const up = sorted.map((r) => (r.diff !== null && r.diff >= 0 ? r.diff : null));
      const down = sorted.map((r) => (r.diff !== null && r.diff < 0 ? r.diff : null));
      const tip = (params) => {
        const list = [].concat(params);
        const r = list.length ? sorted[list[0].dataIndex] : null;
        if (!r) return "";
        const line = (name, v) => `${escapeHtml(name)}: <b>${escapeHtml(withUnit(v, ind.unit, units))}</b>`;
        return [`<b>${escapeHtml(r.full)}</b> (${escapeHtml(r.code)})`, line(labelA, r.a), line(labelB, r.b), line(diffName, r.diff)].join("<br>");
      };
      this.chart.set(
        {
          textStyle: { fontFamily: FONT },
          tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true, formatter: tip },
          legend: { top: 0, data: [labelA, labelB, upName, downName] },
          grid: { left: 150, right: 30, top: 48, bottom: 40 },
          yAxis: { type: "category", data: sorted.map((r) => r.label), inverse: true, axisLabel: { fontSize: 11, width: 140, overflow: "truncate" } },
          xAxis: { type: "value", name: unit, nameLocation: "middle", nameGap: 26, axisLabel: { formatter: (v) => fmt(v, 3) } },
          series: [
            { type: "bar", name: labelA, data: sorted.map((r) => r.a), itemStyle: { color: COMPARE.a } },
            { type: "bar", name: labelB, data: sorted.map((r) => r.b), itemStyle: { color: COMPARE.b } },
            { type: "bar", name: upName, stack: "diff", data: up, itemStyle: { color: COMPARE.up } },
            { type: "bar", name: downName, stack: "diff", data: down, itemStyle: { color: COMPARE.down } },
          ],
        },
      );
      this.chart.note.textContent = t("web.compare.note", { n: sorted.length, a: labelA, b: labelB });
    }
    this.table.setTitle(t("web.compare.table_title", { indicator: ind.label, unit }));
    this.table.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 76 },
        { title: t("web.col.sector"), field: "label", minWidth: 160 },
        { title: `${labelA} [${unit}]`, field: "a", hozAlign: "right", formatter: num, sorter: "number" },
        { title: `${labelB} [${unit}]`, field: "b", hozAlign: "right", formatter: num, sorter: "number" },
        { title: diffName, field: "diff", hozAlign: "right", formatter: num, sorter: "number" },
        { title: ratioName, field: "ratio", hozAlign: "right", formatter: num, sorter: "number" },
      ],
      rows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.sector"), searchable: true },
        { field: "a", title: labelA, unit },
        { field: "b", title: labelB, unit },
        { field: "diff", title: diffName, unit },
        { field: "ratio", title: ratioName },
      ],
      { initialSort: [{ column: "a", dir: "desc" }] },
    );
  }
}
