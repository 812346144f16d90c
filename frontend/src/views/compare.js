// The Compare tab: the loaded province-year (A) against another (B): province totals, the
// sectors with the largest differences and every sector's A, B, B − A and B / A.
import { h, clear, option } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { FONT } from "../core/charts.js";
import { escapeHtml, withUnit } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";
import { parseRef } from "../core/state.js";

// Compare tab: A and B in neutral greys; the difference in vermillion (B higher) and blue
// (B lower), the Okabe-Ito diverging pair that stays apart under colour-blindness.
const COMPARE = { a: "#BBBBBB", b: "#555555", up: "#D55E00", down: "#0072B2" };


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
