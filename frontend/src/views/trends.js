// The Trends tab: the top N sectors of the chosen indicator over the dataset's MRIO years
// (/api/trends) and CO2 by sector over the inventory years (/api/inventory-trend). A sector
// has its family's colour, as in the network (shades, symbols and dashes tell the sectors of
// one family apart), and the same style in both charts.
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { familyStyles } from "../core/charts.js";
import { escapeHtml, numHtml, columnScale, axisFormatter } from "../core/format.js";
import { ChartBox, topNInput } from "../core/widgets.js";

const TOTAL_COLOUR = "#333333";

/**
 * A line chart over the years. series: [{name (short, legend), full (tooltip), values, style}].
 * Short names in the legend (right, or below on a narrow screen), full names in the tooltip;
 * the value axis in one scale from 0 for non-negative data.
 */
function lineOption(years, series, unit, axisName, narrow) {
  const nonNegative = series.every((s) => s.values.every((v) => v === null || v >= 0));
  const spec = columnScale(unit, series.flatMap((s) => s.values));
  return {
    tooltip: {
      trigger: "axis",
      formatter: (params) => {
        const list = [].concat(params).filter((p) => p.value !== null && p.value !== undefined && p.value !== "-");
        list.sort((a, b) => b.value - a.value);
        const head = list.length ? `<b>${escapeHtml(list[0].axisValue)}</b>` : "";
        const rows = list.map((p) => `${p.marker}${escapeHtml(series[p.seriesIndex].full || p.seriesName)}: <b>${numHtml(p.value, unit)}</b>`);
        return [head, ...rows].join("<br>");
      },
    },
    legend: narrow
      ? { type: "scroll", orient: "horizontal", left: 0, right: 0, bottom: 0, textStyle: { fontSize: 10, width: 110, overflow: "truncate" }, tooltip: { show: true } }
      : { type: "scroll", orient: "vertical", right: 0, top: 10, bottom: 10, width: 150, textStyle: { fontSize: 11, width: 130, overflow: "truncate" }, tooltip: { show: true } },
    grid: narrow ? { left: 52, right: 12, top: 34, bottom: 62 } : { left: 70, right: 175, top: 34, bottom: 40 },
    xAxis: { type: "category", data: years.map(String), boundaryGap: false, name: axisName, nameLocation: "middle", nameGap: 26 },
    yAxis: { type: "value", min: nonNegative ? 0 : null, name: spec.label, nameTextStyle: { align: "left" }, axisLabel: { formatter: axisFormatter(spec) } },
    series: series.map((s) => ({
      type: "line",
      name: s.name,
      data: s.values,
      symbol: s.style.symbol,
      symbolSize: 7,
      connectNulls: false,
      lineStyle: { width: s.width || 2, type: s.style.dash, color: s.style.colour },
      itemStyle: { color: s.style.colour },
    })),
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
  named(list, dataset, styles) {
    const known = new Map(this.app.sectors(dataset).map((x) => [x.code, x]));
    return list.map((x) => {
      const sec = known.get(x.code) || {};
      const full = x.label || sec.label || x.code;
      return { code: x.code, name: x.short || sec.short || full, full: `${full} (${x.code})`, values: x.values, style: styles.get(x.code) };
    });
  }

  async render(state) {
    this.n.value = String(state.n);
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
    const narrow = this.mrio.plot.clientWidth < 560;
    const top = trend.series.slice(0, state.n);
    const invTop = inv.available ? inv.series.slice(0, state.n) : [];
    const families = new Map(this.app.sectors(state.dataset).map((x) => [x.code, x.family]));
    for (const x of [...top, ...invTop]) if (x.family && !families.has(x.code)) families.set(x.code, x.family);
    const styles = familyStyles([...top, ...invTop].map((x) => x.code), (code) => families.get(code), this.app.meta.families);
    this.mrio.set(lineOption(trend.years, this.named(top, state.dataset, styles), trend.unit, t("web.axis.year"), narrow));
    this.mrio.note.textContent = t("web.trends.note", { count: trend.series.length, years: trend.years.join(", ") });
    if (inv.available) {
      const s = this.named(invTop, state.dataset, styles);
      if (inv.total && inv.total.length) {
        s.unshift({ name: t("web.total"), full: t("web.trends.total_full"), values: inv.total, width: 3, style: { colour: TOTAL_COLOUR, symbol: "emptyCircle", dash: "solid" } });
      }
      this.inv.set(lineOption(inv.years, s, inv.unit, t("web.axis.year"), narrow));
      this.inv.note.textContent = inv.note || t("web.trends.inventory_note", { first: inv.years[0], last: inv.years[inv.years.length - 1] });
    } else {
      this.inv.clear();
      this.inv.note.textContent = inv.note || t("web.trends.no_inventory");
    }
  }
}
