// The Trade tab: CO2 embodied in inter-provincial trade (/api/trade): the region × region
// heat map, the selected province's partners, electricity-adjusted accounts and net transfers.
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { SEQUENTIAL, textWidth } from "../core/charts.js";
import { escapeHtml, numHtml, columnScale, axisFormatter, fmtWith } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";

export class TradeView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.heat = new ChartBox(this.app, { id: "trade", cls: "vc-chart-square", getMeta: () => this.meta() });
    this.partners = new ChartBox(this.app, { id: "trade-partners", cls: "vc-chart-partners", getMeta: () => this.meta() });
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
      this.drawCharts(state, tr, label, regions);
    }
    await this.drawTable(state, tr, label);
  }

  drawCharts(state, tr, label, regions) {
    this.heat.setTitle(t("web.trade.title", { year: state.year }));
    const narrow = this.heat.plot.clientWidth < 560;
    const cells = [];
    const all = [];
    tr.matrix.forEach((row, r) => row.forEach((v, s) => {
      cells.push([s, r, v === null ? "-" : v]);
      if (v !== null && v > 0) all.push(v);
    }));
    all.sort((a, b) => a - b);
    const hi = all.length ? all[Math.floor(0.95 * (all.length - 1))] : 1;
    const spec = columnScale(tr.unit, all);
    // on a phone the axes name the provinces by code
    const names = regions.map((c) => (narrow && this.app.lang !== "zh-Hans" ? c : label(c)));
    // room for the province names (rotated under the x axis, beside the y axis) and the axis names
    const fs = narrow ? 8 : 10;
    const longest = Math.max(...names.map((n) => textWidth(n, fs)));
    const gap = Math.ceil(longest) + 10;
    this.heat.set(
      {
        tooltip: {
          formatter: (p) => `${escapeHtml(t("web.trade.cell", { r: label(regions[p.data[1]]), s: label(regions[p.data[0]]) }))}<br><b>${numHtml(p.data[2] === "-" ? null : p.data[2], tr.unit)}</b>`,
        },
        grid: { left: gap + 22, right: narrow ? 6 : 20, top: narrow ? 6 : 10, bottom: gap + 22 + 46 },
        xAxis: { type: "category", data: names, name: t("web.trade.for"), nameLocation: "middle", nameGap: gap, nameTextStyle: { fontWeight: "bold" }, axisLabel: { rotate: 90, fontSize: fs, interval: 0 }, splitArea: { show: false } },
        yAxis: { type: "category", data: names, name: t("web.trade.in"), nameLocation: "middle", nameRotate: 90, nameGap: gap, nameTextStyle: { fontWeight: "bold" }, inverse: true, axisLabel: { fontSize: fs, interval: 0 } },
        visualMap: {
          min: 0, max: hi, calculable: !narrow, orient: "horizontal", left: "center", bottom: 4, itemHeight: narrow ? 120 : 160, inRange: { color: SEQUENTIAL },
          text: [`≥ ${fmtWith(hi, spec)}`, "0"], textStyle: { fontSize: 10 }, formatter: axisFormatter(spec),
        },
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
    const pspec = columnScale(tr.unit, [...(pr.emitted_for_others || []), ...(pr.others_emit_for || [])].map((x) => x.value));
    this.partners.set(
      {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => {
          const list = [].concat(ps);
          return [`<b>${escapeHtml(list[0].axisValue)}</b>`, ...list.map((x) => `${x.marker}${escapeHtml(x.seriesName)}: <b>${numHtml(x.value, tr.unit)}</b>`)].join("<br>");
        } },
        legend: { top: 0, left: 0, orient: "vertical", textStyle: { fontSize: 11, width: narrow ? 300 : 420, overflow: "break" } },
        grid: { left: narrow ? 64 : 90, right: 24, top: 56, bottom: 30 },
        yAxis: { type: "category", data: codes.map(label), inverse: true, axisLabel: { fontSize: 11 } },
        xAxis: { type: "value", name: pspec.label, nameLocation: "middle", nameGap: 22, axisLabel: { formatter: axisFormatter(pspec) }, splitNumber: narrow ? 3 : 5 },
        series: [
          { type: "bar", name: t("web.trade.emits_for", { region: label(state.region) }), data: codes.map((c) => val(pr.emitted_for_others, c)), itemStyle: { color: "#D55E00" } },
          { type: "bar", name: t("web.trade.emitted_for", { region: label(state.region) }), data: codes.map((c) => val(pr.others_emit_for, c)), itemStyle: { color: "#0072B2" } },
        ],
      },
      { notMerge: true },
    );
  }

  drawTable(state, tr, label) {
    this.table.setTitle(t("web.trade.table_title", { year: state.year }));
    const net = new Map((tr.net_transfer || []).map((x) => [x.code, x.value]));
    // rounding noise of a difference of equal totals (e.g. -1.8e-12 Mt) is 0
    const clean = (v) => (typeof v === "number" && Math.abs(v) < 1e-9 ? 0 : v);
    const rows = (tr.electricity || []).map((e) => ({
      id: e.code,
      code: e.code,
      label: label(e.code),
      production_mt: e.production_mt,
      adjusted_mt: e.adjusted_mt,
      difference_mt: clean(e.difference_mt),
      net_transfer_mt: net.has(e.code) ? clean(net.get(e.code)) : null,
    }));
    const box = this.table;
    const spec = columnScale("mt", rows.flatMap((r) => [r.production_mt, r.adjusted_mt]));
    const units = this.app.units();
    const unit = units[tr.unit] || tr.unit;
    const cols = [
      ["production_mt", t("web.trade.production"), {}],
      ["adjusted_mt", t("web.trade.adjusted"), {}],
      ["difference_mt", t("web.trade.difference"), { signed: true }],
      ["net_transfer_mt", t("web.trade.net"), { signed: true }],
    ];
    return box.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 60 },
        { title: t("web.col.region"), field: "label", minWidth: 100 },
        ...cols.map(([f, title, o]) => box.numColumn(f, title, Object.assign({}, spec, o.signed ? { signed: true } : {}))),
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
