// The Trends tab: the top N sectors of the chosen indicator over the dataset's MRIO years
// (/api/trends) and CO2 by sector over the inventory years (/api/inventory-trend).
import { h } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { FONT, OKABE_ITO } from "../core/charts.js";
import { escapeHtml } from "../core/format.js";
import { ChartBox, topNInput } from "../core/widgets.js";

const SYMBOLS = ["circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow"];

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


export class TrendsView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.n = topNInput(this.app, "vc-trends-n");
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
