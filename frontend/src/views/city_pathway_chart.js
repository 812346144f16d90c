// The pure part of the city pathway panel (src/views/city_pathway.js): the ECharts option
// and the notes of a /api/city-pathway payload (no DOM, no chart library: unit-tested by
// node --test in frontend/test/city_pathway.test.js).
import { t } from "../core/i18n.js";
import { escapeHtml, numHtml, columnScale, axisFormatter, fmtShare, htmlText, tag } from "../core/format.js";

export const COLOURS = { history: "#000000", baseline: "#7f7f7f", scenario: "#0072B2", share: "#E69F00", rest: "#CC79A7", peak: "#D55E00", milestone: "#009E73" };
const MARK_YEARS = [2030, 2060];

/** The query of the panel's request (empty values left out). */
export function cityPathwayParams({ dataset, city, scenario, provinceDataset }) {
  const out = { dataset, city, scenario, province_dataset: provinceDataset };
  for (const k of Object.keys(out)) if (out[k] === undefined || out[k] === null || out[k] === "") delete out[k];
  return out;
}

/** The ECharts option of a payload `d` (pure; `year` the year the City tab shows, marked). */
export function cityPathwayOption(d, { year = null, narrow = false } = {}) {
  const hist = d.history || { years: [], co2: [] };
  const years = [...new Set([...hist.years, ...d.years])].sort((a, b) => a - b);
  const at = (ys, vals) => {
    const m = new Map(ys.map((y, i) => [y, vals[i]]));
    return years.map((y) => (m.has(y) ? m.get(y) : null));
  };
  const p = d.pathways;
  const series = [];
  const line = (name, data, colour, opts = {}) =>
    series.push(Object.assign({ type: "line", name, data, symbol: "none", connectNulls: false, lineStyle: { width: opts.width || 2, type: opts.dash || "solid", color: colour }, itemStyle: { color: colour }, z: opts.z || 3 }, opts.extra || {}));
  if (hist.years.length) line(t("web.city_pathway.series.history"), at(hist.years, hist.co2), COLOURS.history, { width: 2.5, extra: { symbol: "circle", symbolSize: 4 } });
  line(t("web.city_pathway.series.baseline"), at(d.years, p.baseline), COLOURS.baseline, { dash: "dashed" });
  const marks = [];
  const peakAt = d.peak && d.peak.year;
  if (peakAt) marks.push({ name: t("web.city_pathway.marker.peak", { year: peakAt }), value: [String(peakAt), d.peak.value], itemStyle: { color: COLOURS.peak } });
  for (const y of MARK_YEARS) {
    const v = d.milestones ? d.milestones[String(y)] : null;
    if (v === null || v === undefined || y === peakAt) continue;
    marks.push({ name: t("web.city_pathway.marker.year", { year: y }), value: [String(y), v], itemStyle: { color: COLOURS.milestone } });
  }
  const markLine = year && years.includes(Number(year)) && Number(year) > Number(years[0]) ? { silent: true, symbol: "none", lineStyle: { color: "#999", type: "dotted" }, label: { position: "insideEndBottom", formatter: String(year) }, data: [{ xAxis: String(year) }] } : undefined;
  line(t("web.city_pathway.series.scenario", { scenario: d.scenario.title }), at(d.years, p.scenario), COLOURS.scenario, { width: 3, z: 4, extra: { markLine } });
  const cov = d.coverage;
  if (cov && cov.rest) line(t("web.city_pathway.series.rest", { province: d.province_label }), at(d.years, cov.rest), COLOURS.rest, { dash: "dotted" });
  if (d.share) line(t("web.city_pathway.series.share", { province: d.province_label }), at(d.years, d.share), COLOURS.share, { dash: [4, 3], width: 1.5, extra: { yAxisIndex: 1 } });
  // the peak, 2030 and 2060 on the scenario (a scatter: labelled points, in the legend)
  series.push({ type: "scatter", name: t("web.city_pathway.series.markers"), data: marks, symbolSize: 11, z: 6, label: { show: true, position: "top", fontSize: 10, formatter: (q) => q.name }, itemStyle: { color: COLOURS.peak, borderColor: "#fff", borderWidth: 1 }, tooltip: { trigger: "item", formatter: (q) => `${escapeHtml(q.name)}: <b>${numHtml(q.value[1], "mt")}</b>` } });
  const values = series.filter((s) => s.yAxisIndex !== 1 && s.type === "line").flatMap((s) => s.data).filter((v) => typeof v === "number");
  const spec = columnScale("mt", values);
  const shareName = t("web.city_pathway.series.share", { province: d.province_label || "" });
  const tip = (params) => {
    const list = [].concat(params).filter((q) => q.seriesType === "line" && q.value !== null && q.value !== undefined);
    if (!list.length) return "";
    const rows = list.map((q) => `${q.marker}${escapeHtml(q.seriesName)}: <b>${q.seriesName === shareName ? tag(fmtShare(q.value), "pct") : numHtml(q.value, "mt")}</b>`);
    return [`<b>${escapeHtml(list[0].axisValue)}</b>`, ...rows].join("<br>");
  };
  const names = series.map((s) => s.name);
  return {
    tooltip: { trigger: "axis", formatter: tip },
    legend: narrow
      ? { type: "scroll", orient: "horizontal", left: 0, right: 0, bottom: 0, data: names, textStyle: { fontSize: 10 } }
      : { type: "scroll", orient: "horizontal", left: 0, right: 0, top: 0, data: names, textStyle: { fontSize: 11 } },
    grid: narrow ? { left: 48, right: 40, top: 36, bottom: 60 } : { left: 64, right: 56, top: 56, bottom: 36 },
    xAxis: { type: "category", data: years.map(String), boundaryGap: false, axisLabel: { interval: narrow ? 9 : 4 } },
    yAxis: [
      { type: "value", name: spec.label, nameTextStyle: { align: "left" }, axisLabel: { formatter: axisFormatter(spec) } },
      { type: "value", min: 0, max: 1, show: !!d.share, splitLine: { show: false }, axisLabel: { formatter: (v) => fmtShare(v, 0) } },
    ],
    series,
  };
}

/** The panel's text under the chart: the summary and the coverage note (tagged HTML). */
// A number in the server's sentences, and the unit written right after it (Mt CO2 / 百万吨, %).
const INLINE_NUM = /([-+−]?\d[\d,]*(?:\.\d+)?)(\s*)(Mt|百万吨|%)?/g;

/** The server's sentence as HTML with every decimal number tagged by the unit that follows
 *  it in the text (`mt`, `pct`; `count` for the rest), like core/format.js tags its numbers. */
export function tagInline(text) {
  return escapeHtml(text || "").replace(INLINE_NUM, (all, num, space, unit) => {
    if (!unit && /^\d+$/.test(num)) return all; // a year, a count
    const code = unit === "%" ? "pct" : unit ? "mt" : "count";
    return `<span class="vc-num" data-unit="${code}">${num}</span>${space}${unit || ""}`;
  });
}

export function cityPathwayNotes(d) {
  const cov = d.coverage;
  const parts = [`<p class="vc-cp-summary">${tagInline(d.summary)}</p>`, `<p class="vc-cp-note" data-status="${escapeHtml(d.status)}">${tagInline(d.note)}</p>`];
  if (cov) parts.push(`<p class="vc-cp-coverage">${htmlText("web.city_pathway.coverage", { province: d.province_label, k: cov.k, n: cov.n }, { share: tag(fmtShare(cov.share_t0), "pct") })}</p>`);
  if (d.banner) parts.push(`<p class="vc-cp-banner">${escapeHtml(d.banner)}</p>`);
  return parts.join("");
}
