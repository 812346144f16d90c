// The Trade tab: CO2 embodied in inter-provincial trade (/api/trade): the region × region
// heat map, the selected province's partners, electricity-adjusted accounts and net transfers.
import { h } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { FONT, SEQUENTIAL } from "../core/charts.js";
import { escapeHtml, withUnit } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";

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
