// The Supply chains tab (产业链): where a province's CO2 comes from along its supply chains.
// Four boxes, each with a "how to read this" note and the method's section of docs/math.md:
//  * structural paths (/api/supply-chains): the top paths behind the province's final demand
//    or one sector's, as a tree (final demand → … → the emitting sector) and a table, with
//    the share of the total the paths cover;
//  * the key-sector quadrant: backward vs forward linkages, bubbles sized by CO2;
//  * hypothetical extraction of the chosen sector (or the largest emitter): the CO2 lost in
//    the province and through the other provinces;
//  * the structural decomposition (sda) of the change in CO2 between two table years
//    (/api/sda) as a waterfall.
// The static export has no such payloads: the tab says so there.
import { h, clear, option } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { FONT } from "../core/charts.js";
import { escapeHtml, numHtml, shareHtml, changeHtml, countHtml, fmtIn, columnScale, axisFormatter, htmlText } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";
import { nodeName, pathTree, waterfall } from "../core/supplychains.js";

// docs/math.md sections of the methods
const METHOD = {
  paths: "docs/math.md#structural-path-analysis",
  quadrant: "docs/math.md#key-sectors-and-hypothetical-extraction",
  extraction: "docs/math.md#key-sectors-and-hypothetical-extraction",
  sda: "docs/math.md#structural-decomposition-sda",
};
const UP = "#D55E00";
const DOWN = "#009E73";
const TOTAL = "#56B4E9";
const QUADRANT_POS = { key: ["right", "top"], backward: ["right", "bottom"], forward: ["left", "top"], weak: ["left", "bottom"] };

/** The "how to read this" note of a box and the method's section (docs/math.md). */
function howTo(box, howKey, method) {
  clear(box.note);
  box.note.appendChild(h("span", null, t(howKey)));
  box.note.appendChild(h("span", { class: "vc-method" }, ` ${t("web.sc.method")} `, h("code", null, method)));
}

export class SupplyChainsView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.sectorSelect = h("select", { id: "vc-sc-sector", onchange: () => this.onPick() });
    this.baseSelect = h("select", { id: "vc-sc-base", onchange: () => this.onPick() });
    this.staticNote = h("div", { class: "vc-notice vc-info", hidden: true }, t("web.sc.static"));
    panel.appendChild(this.staticNote);
    panel.appendChild(
      h(
        "div",
        { class: "vc-filters" },
        h("label", { class: "vc-inline" }, t("web.sc.sector"), this.sectorSelect),
        h("label", { class: "vc-inline" }, t("web.sc.base"), this.baseSelect),
      ),
    );
    this.tree = new ChartBox(this.app, { id: "sc-paths", cls: "vc-chart-tall", getMeta: () => this.meta("paths") });
    this.table = new TableBox(this.app, { id: "sc-paths", search: false, getMeta: () => this.meta("paths") });
    this.quadrant = new ChartBox(this.app, { id: "sc-quadrant", cls: "vc-chart-square", getMeta: () => this.meta("quadrant") });
    this.extraction = new ChartBox(this.app, { id: "sc-extraction", getMeta: () => this.meta("extraction") });
    this.sda = new ChartBox(this.app, { id: "sc-sda", getMeta: () => this.meta("sda") });
    panel.appendChild(this.tree.el);
    panel.appendChild(this.table.el);
    panel.appendChild(h("div", { class: "vc-grid2" }, this.quadrant.el, this.extraction.el));
    panel.appendChild(this.sda.el);
  }

  meta(which) {
    const units = this.app.units();
    const box = { paths: this.tree, quadrant: this.quadrant, extraction: this.extraction, sda: this.sda }[which];
    return this.app.downloadMeta({ title: box.heading.textContent, units: which === "quadrant" ? t("web.sc.quadrant.units") : units.mt || "Mt CO2" });
  }

  resize() {
    for (const b of [this.tree, this.quadrant, this.extraction, this.sda]) b.resize();
    this.table.redraw();
  }

  /** The sector and the base year are in the URL (state.sector, state.base): shareable. */
  onPick() {
    const patch = {};
    if (this.sectorSelect.value !== (this.app.state.sector || "")) patch.sector = this.sectorSelect.value;
    if (this.baseSelect.value !== this.shownBase) patch.base = this.baseSelect.value;
    this.app.update(patch);
  }

  fillSelects(state) {
    const key = `${state.dataset}/${state.year}`;
    if (this.selectKey !== key) {
      this.selectKey = key;
      clear(this.sectorSelect);
      this.sectorSelect.appendChild(option("", t("web.sc.sector_all"), false));
      for (const s of this.app.sectors(state.dataset)) this.sectorSelect.appendChild(option(s.code, `${s.code} ${s.short || s.label}`, false));
      const ds = this.app.dataset(state.dataset) || { years: [] };
      const earlier = ds.years.filter((y) => y < state.year);
      clear(this.baseSelect);
      for (const y of earlier) this.baseSelect.appendChild(option(String(y), String(y), false));
      this.baseSelect.disabled = !earlier.length;
      this.earlier = earlier.map(String);
      this.codes = this.app.sectors(state.dataset).map((x) => x.code);
    }
    // a sector or base year the dataset-year does not have (after a switch) is dropped
    if (state.sector && !this.codes.includes(state.sector)) state.sector = "";
    if (state.base && !this.earlier.includes(state.base)) state.base = "";
    this.sectorSelect.value = state.sector || "";
    // the base year: the one in the URL, else the previous table year
    const base = state.base || (this.earlier.length ? this.earlier[this.earlier.length - 1] : "");
    this.baseSelect.value = base;
    this.shownBase = base;
    return { sector: state.sector || "", base };
  }

  async render(state) {
    const region = this.app.regionLabel(state.region);
    const { sector, base } = this.fillSelects(state);
    if (this.app.boot.mode === "static") {
      this.staticNote.hidden = false;
      for (const b of [this.tree, this.quadrant, this.extraction, this.sda]) b.clear();
      return;
    }
    const [sc, sda] = await Promise.all([
      this.app.src.get("supply-chains", { dataset: state.dataset, year: state.year, region: state.region, sector }),
      this.app.src.get("sda", { dataset: state.dataset, year: state.year, region: state.region, base }),
    ]);
    const narrow = this.tree.plot.clientWidth < 560;
    this.drawPaths(sc, region, narrow);
    this.drawQuadrant(sc, region, narrow);
    this.drawExtraction(sc, region, narrow);
    this.drawSda(sda, region, narrow);
    await this.table.ready;
  }

  drawPaths(sc, region, narrow) {
    const p = sc.paths;
    const target = sc.sector ? sc.sectors.find((s) => s.code === sc.sector) : null;
    const what = target ? t("web.sc.paths.of_sector", { sector: target.short, region }) : t("web.sc.paths.of_region", { region });
    this.tree.setTitleHtml(htmlText("web.sc.paths.title", { what, n: p.rows.length, year: sc.year }, {}));
    const rootName = target ? t("web.sc.paths.root_sector", { sector: target.short }) : t("web.sc.paths.root", { region });
    if (!p.rows.length) {
      // no CO2 (no inventory for the region): nothing to trace
      if (this.tree.chart && !this.tree.chart.isDisposed()) this.tree.chart.dispose();
      this.tree.chart = null;
      this.tree.clear();
      this.tree.plot.hidden = true;
      this.tree.setTitle(t("web.sc.paths.title_none", { what, year: sc.year }));
      this.tree.note.textContent = t("web.sc.paths.none");
      this.table.setTitle(t("web.sc.table.title", { n: 0 }));
      this.table.setData([{ title: t("web.sc.col.path"), field: "path" }], [], [{ field: "path", title: t("web.sc.col.path") }], { height: "auto" });
      return;
    }
    this.tree.plot.hidden = false;
    const tree = pathTree(p.rows, sc.region, rootName);
    // node colours: the sector's family
    const paint = (n) => {
      if (n.colour) n.itemStyle = { color: n.colour };
      n.children.forEach(paint);
    };
    paint(tree);
    const mt = (v) => numHtml(v, "mt");
    // a new tree is drawn on a fresh chart: ECharts' tree cannot morph one tree into another,
    // and clear() leaves the old tooltip element behind
    if (this.tree.chart && !this.tree.chart.isDisposed()) this.tree.chart.dispose();
    this.tree.chart = null;
    this.tree.set({
      tooltip: {
        trigger: "item",
        formatter: (x) => {
          const d = x.data;
          const lines = [`<b>${escapeHtml(d.full || d.name)}</b>`, htmlText("web.sc.paths.through", {}, { value: mt(d.value) })];
          if (d.emits) lines.push(htmlText("web.sc.paths.emits", {}, { value: mt(d.emits) }));
          return lines.join("<br>");
        },
      },
      series: [
        {
          type: "tree",
          data: [tree],
          orient: "LR",
          top: 12,
          bottom: 12,
          left: narrow ? 8 : 24,
          right: narrow ? 96 : 190,
          symbolSize: (v, x) => Math.max(6, Math.min(22, 5 + 3 * Math.sqrt(Math.max(0, x.data.value)))),
          initialTreeDepth: -1,
          expandAndCollapse: false,
          itemStyle: { color: "#0072B2" },
          lineStyle: { color: "#b9c1ca", width: 1.2 },
          label: { position: "top", fontSize: narrow ? 9 : 11, width: narrow ? 80 : 150, overflow: "truncate", formatter: (x) => x.data.name },
          leaves: { label: { position: "right", align: "left", verticalAlign: "middle" } },
        },
      ],
    });
    // ECharts does not hide the tooltip of a tree's root on a hideTip action: hide it
    // (the next tooltip shown sets its style afresh)
    this.tree.chart.on("hidetip", () => {
      const tip = this.tree.plot.querySelector(".vc-tooltip");
      if (tip) {
        tip.style.opacity = "0";
        tip.style.visibility = "hidden";
      }
    });
    howTo(this.tree, "web.sc.paths.how", METHOD.paths);
    const cover = h("span", null);
    cover.innerHTML = `${htmlText("web.sc.paths.coverage", {}, { listed: shareHtml(p.top_coverage), all: shareHtml(p.coverage), count: countHtml(p.n_paths), total: mt(p.total_mt) })} `;
    this.tree.note.insertBefore(cover, this.tree.note.firstChild);
    const rows = p.rows.map((r) => ({
      id: r.rank,
      rank: r.rank,
      path: r.nodes.map((n) => nodeName(n, sc.region)).join(" → "),
      emitter: `${r.nodes[r.nodes.length - 1].region_label} · ${r.nodes[r.nodes.length - 1].label}`,
      depth: r.depth,
      value_mt: r.value_mt,
      share: r.share,
    }));
    this.table.setTitle(t("web.sc.table.title", { n: rows.length }));
    const spec = columnScale("mt", rows.map((r) => r.value_mt));
    this.table.setData(
      [
        this.table.intColumn("rank", t("web.col.rank"), "rank", { minWidth: 44, width: narrow ? 48 : 70 }),
        { title: t("web.sc.col.path"), field: "path", minWidth: narrow ? 150 : 240, widthGrow: 4, formatter: "textarea" },
        this.table.intColumn("depth", t("web.sc.col.depth"), "count", { minWidth: 44, width: narrow ? 48 : 70 }),
        this.table.numColumn("value_mt", t("web.sc.col.value"), spec, { minWidth: 60 }),
        this.table.shareColumn("share", t("web.col.share"), { minWidth: 56 }),
      ],
      rows,
      [
        { field: "rank", title: t("web.col.rank") },
        { field: "path", title: t("web.sc.col.path") },
        { field: "emitter", title: t("web.sc.col.emitter") },
        { field: "depth", title: t("web.sc.col.depth") },
        { field: "value_mt", title: t("web.sc.col.value"), unit: this.app.units().mt },
        { field: "share", title: t("web.col.share"), unit: "fraction" },
      ],
      { height: "auto", layout: "fitColumns" },
    );
  }

  drawQuadrant(sc, region, narrow) {
    const ks = sc.key_sectors;
    this.quadrant.setTitle(t("web.sc.quadrant.title", { region, year: sc.year }));
    const maxCo2 = Math.max(1e-9, ...ks.rows.map((r) => r.co2_mt || 0));

    const qLabel = Object.fromEntries(ks.quadrants.map((q) => [q.code, q.label]));
    const xs = ks.rows.map((r) => r.backward);
    const ys = ks.rows.map((r) => r.forward);
    const pad = (v) => [Math.floor(Math.min(0.5, ...v) * 9.5) / 10, Math.ceil(Math.max(1.5, ...v) * 10.5) / 10];
    const [x0, x1] = pad(xs);
    const [y0, y1] = pad(ys);
    const plain = columnScale("dimensionless", xs);
    // labels for the largest emitters, largest first, none closer to another than ~1 line
    const labelled = [];
    for (const r of ks.rows.slice().sort((a, b) => (b.co2_mt || 0) - (a.co2_mt || 0))) {
      if (labelled.length >= (narrow ? 4 : 7) || !(r.co2_mt > 0)) break;
      const near = labelled.some((o) => Math.abs(o.backward - r.backward) / (x1 - x0) < 0.2 && Math.abs(o.forward - r.forward) / (y1 - y0) < 0.06);
      if (!near) labelled.push(r);
    }
    const biggest = new Set(labelled.map((r) => r.sector));
    this.quadrant.set({
      tooltip: {
        trigger: "item",
        formatter: (x) => {
          const r = ks.rows[x.dataIndex];
          return [`<b>${escapeHtml(r.label)}</b> (${escapeHtml(r.sector)})`, `${escapeHtml(qLabel[r.quadrant])}`,
            `${escapeHtml(t("web.sc.quadrant.backward"))}: ${numHtml(r.backward, "dimensionless")}`,
            `${escapeHtml(t("web.sc.quadrant.forward"))}: ${numHtml(r.forward, "dimensionless")}`,
            `${escapeHtml(t("web.sc.quadrant.co2"))}: ${numHtml(r.co2_mt, "mt")}`].join("<br>");
        },
      },
      grid: { left: 48, right: 16, top: 24, bottom: 48 },
      xAxis: { type: "value", min: x0, max: x1, name: t(narrow ? "web.sc.quadrant.backward_short" : "web.sc.quadrant.backward"), nameLocation: "middle", nameGap: 28, axisLabel: { formatter: axisFormatter(plain) }, splitLine: { show: false } },
      yAxis: { type: "value", min: y0, max: y1, name: t(narrow ? "web.sc.quadrant.forward_short" : "web.sc.quadrant.forward"), nameLocation: "middle", nameGap: 34, axisLabel: { formatter: axisFormatter(plain) }, splitLine: { show: false } },
      graphic: ks.quadrants.map((q) => {
        const [hx, vy] = QUADRANT_POS[q.code];
        return { type: "text", [hx]: hx === "right" ? 24 : 58, [vy]: vy === "top" ? 30 : 56, z: 0, style: { text: q.label, fill: "#6b7785", font: `bold ${narrow ? 11 : 12}px ${FONT}` } };
      }),
      series: [
        {
          type: "scatter",
          data: ks.rows.map((r) => ({
            value: [r.backward, r.forward],
            symbolSize: 6 + 40 * Math.sqrt(Math.max(0, r.co2_mt || 0) / maxCo2),
            itemStyle: { color: r.colour, opacity: 0.8, borderColor: "#333", borderWidth: 0.5 },
            label: { show: biggest.has(r.sector), formatter: r.short, position: "right", fontSize: narrow ? 9 : 10, color: "#222" },
          })),
          labelLayout: { moveOverlap: "shiftY", hideOverlap: true },
          markLine: { silent: true, symbol: "none", lineStyle: { color: "#888", type: "dashed" }, label: { show: false }, data: [{ xAxis: ks.threshold }, { yAxis: ks.threshold }] },
        },
      ],
    });
    howTo(this.quadrant, "web.sc.quadrant.how", METHOD.quadrant);
  }

  drawExtraction(sc, region, narrow) {
    const ex = sc.extraction;
    this.extraction.setTitle(t("web.sc.extraction.title", { sector: ex.sector.short, region }));
    if (sc.status === "missing") {
      // no inventory: the CO2 it would lose is unknown, not zero
      this.extraction.clear();
      this.extraction.note.textContent = t("web.sc.extraction.none");
      return;
    }
    const rows = [{ label: region, value: ex.inside.co2_loss_mt, own: true }, ...ex.regions.map((r) => ({ label: r.label, value: r.co2_loss_mt, own: false }))];
    const spec = columnScale("mt", rows.map((r) => r.value));
    this.extraction.set({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => {
        const x = [].concat(ps)[0];
        const r = rows[x.dataIndex];
        return `<b>${escapeHtml(r.label)}</b><br>${escapeHtml(t("web.sc.extraction.loss"))}: ${numHtml(r.value, "mt")}`;
      } },
      grid: { left: narrow ? 70 : 96, right: 56, top: 30, bottom: 24 },
      yAxis: { type: "category", inverse: true, data: rows.map((r) => r.label), axisLabel: { fontSize: 10, width: narrow ? 62 : 88, overflow: "truncate" } },
      xAxis: { type: "value", name: spec.label, position: "top", nameTextStyle: { align: "right", verticalAlign: "top", padding: [-34, 0, 0, 0] }, axisLabel: { formatter: axisFormatter(spec), fontSize: 10 }, splitNumber: narrow ? 3 : 5 },
      series: [{ type: "bar", data: rows.map((r) => ({ value: r.value, itemStyle: { color: r.own ? UP : "#0072B2" } })), barCategoryGap: "30%",
        label: { show: true, position: "right", fontSize: 10, formatter: (x) => fmtIn(x.value, spec) } }],
    });
    howTo(this.extraction, "web.sc.extraction.how", METHOD.extraction);
    const head = h("span", null);
    const share = (a, b) => (b ? a / b : null);
    head.innerHTML = `${htmlText(ex.chosen ? "web.sc.extraction.summary" : "web.sc.extraction.summary_default", { sector: ex.sector.label, region }, {
      inside: numHtml(ex.inside.co2_loss_mt, "mt"),
      inside_share: shareHtml(share(ex.inside.co2_loss_mt, ex.inside.co2_mt)),
      elsewhere: numHtml(ex.elsewhere.co2_loss_mt, "mt"),
      output: numHtml(ex.output_loss_10k_yuan, "10k_yuan"),
    })} `;
    this.extraction.note.insertBefore(head, this.extraction.note.firstChild);
  }

  drawSda(s, region, narrow) {
    if (!s.available) {
      this.sda.setTitle(t("web.sc.sda.title_none", { region }));
      this.sda.clear();
      this.sda.note.textContent = s.note || "";
      return;
    }
    this.sda.setTitle(t("web.sc.sda.title", { region, base: s.base, year: s.year }));
    const steps = waterfall(s);
    const spec = columnScale("mt", steps.map((x) => x.end));
    const colour = { up: UP, down: DOWN, total: TOTAL };
    this.sda.set({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => {
        const x = steps[[].concat(ps)[0].dataIndex];
        const v = numHtml(x.value, "mt", x.kind === "total" ? {} : { signed: true });
        return `<b>${escapeHtml(x.name)}</b><br>${v}`;
      } },
      grid: { left: 56, right: 16, top: 30, bottom: narrow ? 92 : 64 },
      xAxis: { type: "category", data: steps.map((x) => x.name), axisLabel: { interval: 0, rotate: narrow ? 40 : 0, fontSize: narrow ? 9 : 11, width: narrow ? 90 : 120, overflow: "break" } },
      yAxis: { type: "value", name: spec.label, axisLabel: { formatter: axisFormatter(spec) } },
      series: [
        { type: "bar", stack: "w", silent: true, itemStyle: { color: "transparent" }, emphasis: { disabled: true }, data: steps.map((x) => Math.min(x.start, x.end)), tooltip: { show: false } },
        {
          type: "bar",
          stack: "w",
          data: steps.map((x) => ({ value: Math.abs(x.end - x.start), itemStyle: { color: colour[x.kind] } })),
          label: { show: true, position: "top", fontSize: narrow ? 9 : 10, formatter: (p) => {
            const x = steps[p.dataIndex];
            return x.kind === "total" ? fmtIn(x.value, spec, { decimals: 1 }) : fmtIn(x.value, spec, { decimals: 2, signed: true });
          } },
        },
      ],
    });
    howTo(this.sda, "web.sc.sda.how", METHOD.sda);
    const head = h("span", null);
    head.innerHTML = `${htmlText("web.sc.sda.summary", { base: s.base, year: s.year, region }, {
      change: numHtml(s.change_mt, "mt", { signed: true }),
      pct: changeHtml(s.co2_from_mt, s.co2_to_mt),
      households: numHtml(s.households_change_mt, "mt", { signed: true }),
    })} `;
    this.sda.note.insertBefore(head, this.sda.note.firstChild);
  }
}
