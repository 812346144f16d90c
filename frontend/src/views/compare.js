// The Compare tab: the loaded province-year (A) against another (B): province totals, the
// sectors with the largest differences and every sector's A, B, B − A and the change from A
// to B as a signed percentage. B is said, not silently picked: without a choice in the link,
// the same province in another year is taken and a note says so.
import { h, clear, option } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { escapeHtml, numHtml, columnScale, axisFormatter, changeHtml } from "../core/format.js";
import { ChartBox, TableBox, nullsLast } from "../core/widgets.js";
import { parseRef } from "../core/state.js";

// A and B in neutral greys; the difference in vermillion (B higher) and blue (B lower), the
// Okabe-Ito diverging pair that stays apart under colour-blindness.
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
    this.chosen = h("p", { class: "vc-notice vc-info", id: "vc-compare-default", hidden: true });
    panel.appendChild(h("div", { class: "vc-filters" }, h("strong", null, t("web.compare.b")),
      h("label", { class: "vc-inline" }, t("web.dataset"), this.bDataset),
      h("label", { class: "vc-inline" }, t("web.year"), this.bYear),
      h("label", { class: "vc-inline" }, t("web.region"), this.bRegion), this.go));
    panel.appendChild(this.chosen);
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
    if (other !== undefined) return { dataset: ds.name, year: other, region: state.region, why: "year" };
    const r = this.app.regionsOf(ds.name).find((x) => x.code !== state.region);
    return { dataset: ds.name, year: state.year, region: r ? r.code : state.region, why: "region" };
  }

  async render(state, viewA) {
    const app = this.app;
    const picked = parseRef(state.compare, app.meta);
    const ref = picked || this.defaultRef(state);
    this.ref = ref;
    clear(this.bDataset);
    for (const d of (app.meta.datasets || []).filter((x) => !x.inventory_only)) this.bDataset.appendChild(option(d.name, d.name, d.name === ref.dataset));
    this.fillYears(ref.year, ref.region);
    const viewB = await app.src.get("view", { dataset: ref.dataset, year: ref.year, region: ref.region });
    const inds = (app.meta.indicators || []).filter((i) => viewA.nodes[0] && viewA.nodes[0].indicators[i.code] !== undefined);
    const labelA = `${app.regionLabel(state.region)} ${state.year}`;
    const labelB = `${app.regionLabel(ref.region)} ${ref.year}`;
    this.chosen.hidden = !!picked;
    this.chosen.textContent = picked ? "" : t(ref.why === "year" ? "web.compare.default_year" : "web.compare.default_region", { a: labelA, b: labelB });
    const ind = app.indicator(state.indicator) || { code: state.indicator, label: state.indicator, unit: "" };
    const diffName = t("web.compare.diff_named", { a: labelA, b: labelB });
    const upName = t("web.compare.up", { a: labelA, b: labelB });
    const downName = t("web.compare.down", { a: labelA, b: labelB });
    const changeName = t("web.compare.ratio", { a: labelA, b: labelB });
    this.summary.textContent = t("web.compare.summary", { a: labelA, b: labelB });
    this.chart.setTitle(t("web.compare.title", { indicator: ind.label, a: labelA, b: labelB }));

    // province totals of the additive indicators
    const sum = (view, code) => {
      let s = 0;
      for (const n of view.nodes) {
        const x = n.indicators[code];
        if (!x || x.value === null) return null;
        s += x.value;
      }
      return s;
    };
    const additive = inds.filter((i) => (i.additive !== undefined ? i.additive : true) && i.unit !== "dimensionless"
      && viewA.nodes.some((n) => n.indicators[i.code] && n.indicators[i.code].share !== null && n.indicators[i.code].share !== undefined));
    const totals = additive.map((i) => {
      const a = sum(viewA, i.code);
      const b = sum(viewB, i.code);
      return { id: i.code, indicator: i.label, unit: i.unit, unit_label: app.units()[i.unit] || i.unit, a, b, diff: a === null || b === null ? null : b - a, ratio: a ? (b === null ? null : b / a) : null };
    });
    // each row in its own unit, each value scaled for itself (money in 亿元 / ¥ billion …)
    const own = (c) => numHtml(c.getValue(), c.getRow().getData().unit);
    const ownSigned = (c) => numHtml(c.getValue(), c.getRow().getData().unit, { signed: true });
    this.totals.setTitle(t("web.compare.totals", { a: labelA, b: labelB }));
    const totalsReady = this.totals.setData(
      [
        { title: t("web.col.indicator"), field: "indicator", minWidth: 150 },
        { title: labelA, field: "a", hozAlign: "right", formatter: own, sorter: nullsLast },
        { title: labelB, field: "b", hozAlign: "right", formatter: own, sorter: nullsLast },
        { title: diffName, field: "diff", hozAlign: "right", formatter: ownSigned, sorter: nullsLast },
        this.totals.changeColumn("ratio", changeName, "a", "b"),
      ],
      totals,
      [
        { field: "id", title: t("web.col.code") },
        { field: "indicator", title: t("web.col.indicator") },
        { field: "unit_label", title: t("web.col.unit") },
        { field: "a", title: labelA },
        { field: "b", title: labelB },
        { field: "diff", title: diffName },
        { field: "ratio", title: `${labelB} / ${labelA}` },
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
    const spec = columnScale(ind.unit, rows.flatMap((r) => [r.a, r.b]));
    if (!same) {
      this.chart.clear();
      this.chart.note.textContent = t("web.compare.mismatch");
    } else {
      const sorted = rows.slice().sort((x, y) => Math.abs(y.diff || 0) - Math.abs(x.diff || 0)).slice(0, 20);
      const up = sorted.map((r) => (r.diff !== null && r.diff >= 0 ? r.diff : null));
      const down = sorted.map((r) => (r.diff !== null && r.diff < 0 ? r.diff : null));
      const narrow = this.chart.plot.clientWidth < 560;
      const tip = (params) => {
        const list = [].concat(params);
        const r = list.length ? sorted[list[0].dataIndex] : null;
        if (!r) return "";
        const line = (name, v, o) => `${escapeHtml(name)}: <b>${numHtml(v, ind.unit, o)}</b>`;
        return [`<b>${escapeHtml(r.full)}</b> (${escapeHtml(r.code)})`, line(labelA, r.a), line(labelB, r.b), line(diffName, r.diff, { signed: true }), `${escapeHtml(changeName)}: <b>${changeHtml(r.a, r.b)}</b>`].join("<br>");
      };
      this.chart.set({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: tip },
        legend: { top: 0, data: [labelA, labelB, upName, downName], textStyle: { fontSize: narrow ? 10 : 12 } },
        grid: { left: narrow ? 96 : 150, right: 24, top: narrow ? 64 : 48, bottom: 40 },
        yAxis: { type: "category", data: sorted.map((r) => r.label), inverse: true, axisLabel: { fontSize: narrow ? 10 : 11, width: narrow ? 88 : 140, overflow: "truncate" } },
        xAxis: { type: "value", name: spec.label, nameLocation: "middle", nameGap: 26, axisLabel: { formatter: axisFormatter(spec) }, splitNumber: narrow ? 3 : 5 },
        series: [
          { type: "bar", name: labelA, data: sorted.map((r) => r.a), itemStyle: { color: COMPARE.a } },
          { type: "bar", name: labelB, data: sorted.map((r) => r.b), itemStyle: { color: COMPARE.b } },
          { type: "bar", name: upName, stack: "diff", data: up, itemStyle: { color: COMPARE.up } },
          { type: "bar", name: downName, stack: "diff", data: down, itemStyle: { color: COMPARE.down } },
        ],
      });
      this.chart.note.textContent = t("web.compare.note", { n: sorted.length, a: labelA, b: labelB });
    }
    const box = this.table;
    this.table.setTitle(t("web.compare.table_title", { indicator: ind.label, unit: spec.label || t("web.unit.none") }));
    const tableReady = box.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 60 },
        { title: t("web.col.sector"), field: "label", minWidth: 96 },
        box.numColumn("a", labelA, spec),
        box.numColumn("b", labelB, spec),
        box.numColumn("diff", diffName, Object.assign({}, spec, { signed: true })),
        box.changeColumn("ratio", changeName, "a", "b"),
      ],
      rows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.sector"), searchable: true },
        { field: "a", title: labelA, unit: app.units()[ind.unit] || ind.unit },
        { field: "b", title: labelB, unit: app.units()[ind.unit] || ind.unit },
        { field: "diff", title: diffName, unit: app.units()[ind.unit] || ind.unit },
        { field: "ratio", title: `${labelB} / ${labelA}` },
      ],
      { initialSort: [{ column: "a", dir: "desc" }] },
    );
    await Promise.all([totalsReady, tableReady]);
  }
}
