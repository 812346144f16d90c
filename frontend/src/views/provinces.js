// The Provinces tab: all regions for one indicator (/api/provinces): a tile-grid map of
// China, a ranking, production- vs consumption-based CO2 and the table.
import { h } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { FONT, SEQUENTIAL, MISSING_GREY, ramp } from "../core/charts.js";
import { escapeHtml, withUnit } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";

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
