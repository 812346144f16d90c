// The Inventory tab: an inventory-only dataset (CEADs provincial CO2 inventories imported
// without an IO table), from /api/inventory: CO2 by sector over the years (stacked: the top
// N sectors of the chosen year, the other sectors summed, the total as a line), the fuel mix
// over the years (stacked) and every province's total in the chosen year (bars), plus the
// chosen year's sector table (CSV/XLSX).
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { OKABE_ITO, MISSING_GREY } from "../core/charts.js";
import { escapeHtml, numHtml, columnScale, axisFormatter, htmlText } from "../core/format.js";
import { ChartBox, TableBox, topNInput } from "../core/widgets.js";

// 18 fuel columns and up to 60 sectors: the colour-blind-safe Okabe-Ito set first, then
// muted tones (ECharts' own palette would repeat after nine).
const MORE = ["#999933", "#882255", "#44AA99", "#332288", "#AA4499", "#88CCEE", "#117733", "#DDCC77", "#661100", "#6699CC", "#AA4466", "#4477AA"];
const PALETTE = [...OKABE_ITO.filter((c) => c !== "#000000"), ...MORE];
const TOTAL_COLOUR = "#222222";
const OTHER_COLOUR = "#BBBBBB";

function colour(k) {
  return PALETTE[k % PALETTE.length];
}

/** Stacked areas over the years plus an optional total line; y axis from 0 (Mt CO2). */
function stackedOption(years, series, unit, year, total) {
  const spec = columnScale(unit, (total ? total.values : series.flatMap((s) => s.values)));
  const list = series.map((s) => ({
    type: "line",
    name: s.name,
    stack: "co2",
    data: s.values,
    symbol: "none",
    connectNulls: false,
    lineStyle: { width: 0.6 },
    areaStyle: { opacity: 0.85 },
    itemStyle: { color: s.colour },
    emphasis: { focus: "series" },
  }));
  if (total) {
    list.push({
      type: "line",
      name: total.name,
      data: total.values,
      symbol: "circle",
      symbolSize: 5,
      connectNulls: false,
      lineStyle: { width: 2, color: TOTAL_COLOUR, type: "dashed" },
      itemStyle: { color: TOTAL_COLOUR },
      z: 5,
    });
  }
  const full = new Map(series.map((s) => [s.name, s.full || s.name]));
  if (list.length) {
    list[0].markLine = {
      silent: true,
      symbol: "none",
      label: { formatter: String(year) },
      lineStyle: { color: "#555", type: "dotted" },
      data: [{ xAxis: String(year) }],
    };
  }
  return {
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const ps = [].concat(params).filter((p) => p.value !== null && p.value !== undefined && p.value !== "-");
        const head = ps.length ? `<b>${escapeHtml(ps[0].axisValue)}</b>` : "";
        const rows = ps
          .slice()
          .reverse()
          .map((p) => `${p.marker}${escapeHtml(full.get(p.seriesName) || p.seriesName)}: <b>${numHtml(p.value, unit)}</b>`);
        return [head, ...rows].join("<br>");
      },
    },
    legend: { type: "scroll", orient: "vertical", right: 0, top: 10, bottom: 10, width: 160, textStyle: { fontSize: 11, width: 140, overflow: "truncate" }, tooltip: { show: true } },
    grid: { left: 70, right: 185, top: 34, bottom: 40 },
    xAxis: { type: "category", data: years.map(String), boundaryGap: false, name: t("web.axis.year"), nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "value", min: 0, name: spec.label, nameTextStyle: { align: "left" }, axisLabel: { formatter: axisFormatter(spec) } },
    series: list,
  };
}

export class InventoryView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.n = topNInput(this.app, "vc-inventory-n", 47);
    panel.appendChild(h("div", { class: "vc-filters" }, h("label", { class: "vc-inline" }, t("web.topn"), this.n), h("small", null, t("web.inventory.hint"))));
    this.sectors = new ChartBox(this.app, { id: "inventory-sectors", getMeta: () => this.meta(this.sectors) });
    this.fuels = new ChartBox(this.app, { id: "inventory-fuels", getMeta: () => this.meta(this.fuels) });
    this.provinces = new ChartBox(this.app, { id: "inventory-provinces", getMeta: () => this.meta(this.provinces, "all") });
    this.table = new TableBox(this.app, { id: "inventory", getMeta: () => this.meta(this.table) });
    for (const box of [this.sectors, this.fuels, this.provinces, this.table]) panel.appendChild(box.el);
  }

  meta(box, region) {
    const p = this.last;
    const units = this.app.units();
    const extra = {
      title: box.heading.textContent,
      units: p ? units[p.unit] || p.unit : "",
      years: p ? p.years.join(", ") : "",
      scope: t("web.inventory.scope"),
    };
    if (region) extra.region = region;
    return this.app.downloadMeta(extra);
  }

  resize() {
    this.sectors.resize();
    this.fuels.resize();
    this.provinces.resize();
    this.table.redraw();
  }

  async render(state) {
    this.n.value = String(Math.min(state.n, 47));
    const p = await this.app.src.get("inventory", { dataset: state.dataset, region: state.region });
    this.last = p;
    const units = this.app.units();
    const unit = units[p.unit] || p.unit;
    const region = p.region_label || this.app.regionLabel(state.region);
    const years = p.years;
    const yi = Math.max(0, years.indexOf(state.year));
    const year = years[yi];
    const first = years[0];
    const last = years[years.length - 1];
    const n = Math.min(state.n, p.sectors.length);

    // CO2 by sector: the top N of the chosen year stacked, the rest summed, the total on top
    const chosen = p.values[yi] || [];
    const order = p.sectors.map((s, k) => k).sort((a, b) => (chosen[b] || 0) - (chosen[a] || 0) || a - b);
    const top = order.slice(0, n);
    const rest = order.slice(n);
    const series = top.map((k, j) => ({
      name: p.sectors[k].short,
      full: `${p.sectors[k].label} (${p.sectors[k].code})`,
      values: p.values.map((row) => row[k]),
      colour: colour(j),
    }));
    if (rest.length) {
      series.push({
        name: t("web.inventory.other", { count: rest.length }),
        values: p.values.map((row) => (row.some((v) => v === null) ? null : rest.reduce((acc, k) => acc + row[k], 0))),
        colour: OTHER_COLOUR,
      });
    }
    this.sectors.setTitle(t("web.inventory.sectors_title", { region, first, last, n }));
    this.sectors.set(stackedOption(years, series, p.unit, year, { name: t("web.total"), values: p.totals }));
    this.sectors.note.textContent = [t("web.inventory.sectors_note", { year }), p.note].filter(Boolean).join(" ");

    // fuel mix
    const fuelSeries = p.fuels.map((f, k) => ({ name: f.label, values: p.fuel_mix.map((row) => row[k]), colour: f.code === "process" ? "#000000" : colour(k) }));
    this.fuels.setTitle(t("web.inventory.fuels_title", { region, first, last }));
    this.fuels.set(stackedOption(years, fuelSeries, p.unit, year, null));
    this.fuels.note.textContent = t("web.inventory.fuels_note");

    // every province's total in the chosen year
    const prov = p.provinces.regions.map((r, k) => ({ code: r.code, label: r.label, value: (p.provinces.totals[yi] || [])[k] }));
    prov.sort((a, b) => (b.value === null ? -Infinity : b.value) - (a.value === null ? -Infinity : a.value));
    const provSpec = columnScale(p.unit, prov.map((r) => r.value));
    this.provinces.setTitle(t("web.inventory.provinces_title", { year, count: prov.length }));
    this.provinces.set(
      {
        tooltip: { trigger: "axis", formatter: (ps) => { const x = [].concat(ps)[0]; return `<b>${escapeHtml(x.axisValue)}</b><br>${numHtml(x.value, p.unit)}`; } },
        grid: { left: 70, right: 20, top: 24, bottom: 70 },
        xAxis: { type: "category", data: prov.map((r) => r.label), axisLabel: { rotate: 60, fontSize: 10, interval: 0 } },
        yAxis: { type: "value", min: 0, name: provSpec.label, axisLabel: { formatter: axisFormatter(provSpec) } },
        series: [
          {
            type: "bar",
            name: t("web.total"),
            data: prov.map((r) => ({ value: r.value, code: r.code, itemStyle: { color: r.code === state.region ? "#D55E00" : r.value === null ? MISSING_GREY : "#0072B2" } })),
          },
        ],
      },
      { notMerge: true },
    );
    this.provinces.chart.off("click");
    this.provinces.chart.on("click", (x) => x.data && x.data.code && this.app.update({ region: x.data.code }));
    this.provinces.note.textContent = [t("web.inventory.provinces_note"), p.missing_note].filter(Boolean).join(" ");

    await this.drawTable(p, yi, year, region, unit);
  }

  drawTable(p, yi, year, region, unit) {
    const row = p.values[yi] || [];
    const total = p.totals[yi];
    const rows = p.sectors.map((s, k) => ({
      id: s.code,
      code: s.code,
      label: s.label,
      household: s.household ? t("web.inventory.household") : "",
      value_mt: row[k],
      share: row[k] !== null && total ? row[k] / total : null,
    }));
    this.table.setTitleHtml(htmlText("web.inventory.table_title", { region, year }, { total: numHtml(total, p.unit) }));
    const box = this.table;
    const spec = columnScale(p.unit, rows.map((r) => r.value_mt));
    return this.table.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 70, sorter: (a, b) => Number(a) - Number(b) },
        { title: t("web.col.sector"), field: "label", minWidth: 260 },
        { title: t("web.inventory.col_household"), field: "household" },
        box.numColumn("value_mt", "CO2", spec),
        box.shareColumn("share", t("web.col.share")),
      ],
      rows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.sector"), searchable: true },
        { field: "household", title: t("web.inventory.col_household"), searchable: true },
        { field: "value_mt", title: "CO2", unit },
        { field: "share", title: t("web.col.share") },
      ],
      { height: "auto", initialSort: [{ column: "value_mt", dir: "desc" }] },
    );
  }
}
