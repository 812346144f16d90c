// The boxes every tab is made of: a chart box (heading, tool buttons, PNG/SVG, the chart, a
// note) and a table box (heading, count, search, CSV/XLSX, the table), the "top N" field and
// the headline strip.
import { h, clear } from "./dom.js";
import { t, currentLang, zhPunctHtml } from "./i18n.js";
import { echarts, ANIMATE, FONT } from "./charts.js";
import { exportChart } from "./figures.js";
import { downloadCsv, downloadXlsx, safeName } from "./downloads.js";
import { Tabulator } from "./tabulator.js";
import { cellHtml, shareHtml, changeHtml, headerWith, tag, countHtml, htmlText } from "./format.js";

/** Sorter: unknown values (null) last in both directions. */
export function nullsLast(a, b, aRow, bRow, column, dir) {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an && bn) return 0;
  if (an) return dir === "asc" ? 1 : -1;
  if (bn) return dir === "asc" ? -1 : 1;
  return a - b;
}

/** Tooltip defaults: inside the chart, never wider than the screen, text wraps. */
export const TOOLTIP = {
  confine: true,
  className: "vc-tooltip",
  extraCssText: "max-width:min(380px,calc(100vw - 24px));white-space:normal;",
};

/**
 * A chart area: heading, optional tool buttons, PNG/SVG buttons, the chart element, a note.
 * getMeta() → download metadata (title, units, …).
 */
export class ChartBox {
  constructor(app, { id, cls, getMeta, tools }) {
    this.app = app;
    this.id = id;
    this.getMeta = getMeta;
    this.heading = h("h3", { class: "vc-box-title" });
    this.png = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-png`, onclick: () => this.download("png") }, "PNG");
    this.svg = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-svg`, onclick: () => this.download("svg") }, "SVG");
    this.tools = h("span", { class: "vc-tools" }, ...(tools || []));
    this.note = h("p", { class: "vc-box-note" });
    this.plot = h("div", { class: `vc-chart ${cls || ""}`, id: `vc-chart-${id}` });
    this.el = h(
      "div",
      { class: "vc-box", "data-box": id },
      h("div", { class: "vc-box-head" }, this.heading, this.tools, h("span", { class: "vc-dls", title: t("web.download.chart") }, this.png, this.svg)),
      this.plot,
      this.note,
    );
    this.chart = null;
    this.pending = false;
    this.waiters = [];
    if (app.boxes) app.boxes.push(this);
  }

  ensure() {
    if (!this.chart || this.chart.isDisposed()) {
      this.chart = echarts.init(this.plot, null, { renderer: "canvas" });
      // 'finished': every element drawn and every animation over (ECharts event)
      this.chart.on("finished", () => {
        this.pending = false;
        this.wake(true);
      });
    }
    return this.chart;
  }

  /** Draw `option` (animations off when a test or bench drives the browser, see ANIMATE). */
  set(option, opts = { notMerge: true }) {
    const chart = this.ensure();
    this.pending = true;
    const full = Object.assign({ animation: ANIMATE, textStyle: { fontFamily: FONT } }, option);
    if (full.tooltip && !Array.isArray(full.tooltip)) {
      full.tooltip = Object.assign({}, TOOLTIP, full.tooltip);
      const f = full.tooltip.formatter;
      // Chinese tooltips get full-width punctuation too ("出口：…", "广东（GD）")
      if (typeof f === "function" && currentLang() === "zh-Hans") full.tooltip.formatter = (...args) => zhPunctHtml(f(...args));
    }
    chart.setOption(full, opts);
    return chart;
  }

  /** Empty the chart (nothing left to draw: settled at once). */
  clear() {
    if (this.chart && !this.chart.isDisposed()) this.chart.clear();
    this.pending = false;
    this.wake(true);
  }

  wake(ok) {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(ok);
  }

  /**
   * Resolves (true) once the last option set has been drawn to the end (the chart's
   * 'finished' event), at once when nothing is pending; false after `timeout` ms.
   */
  whenFinished(timeout = 8000) {
    if (!this.pending || !this.chart || this.chart.isDisposed()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        console.warn(`viscarbon: chart ${this.id} did not report 'finished' within ${timeout} ms`);
        resolve(false);
      }, timeout);
      const done = (ok) => {
        clearTimeout(timer);
        resolve(ok);
      };
      this.waiters.push(done);
    });
  }

  setTitle(text) {
    this.heading.textContent = text;
  }

  /** A title with tagged numbers in it (core/format.js htmlText). */
  setTitleHtml(html) {
    this.heading.innerHTML = html;
  }

  resize() {
    if (this.chart && this.plot.offsetParent !== null) this.chart.resize();
  }

  /** The chart as a figure: the title band, the chart, the caption band (core/figures.js). */
  figure(kind) {
    if (!this.chart) return null;
    return exportChart(this.chart, kind, Object.assign({ title: this.heading.textContent }, this.getMeta()), this.optionForExport ? this.optionForExport() : null);
  }

  download(kind) {
    const fig = this.figure(kind);
    if (!fig) return;
    const s = this.app.state;
    fig.save(`${safeName(["viscarbon", this.id, s.dataset, s.year, s.region])}.${kind}`);
  }
}

/**
 * A table area: heading, row count, a search box, CSV/XLSX buttons, the Tabulator table.
 * setData(columns, rows, exportColumns, opts): exportColumns [{field, title, unit,
 * searchable}] are the columns of the downloads; the rows exported are the filtered and
 * sorted rows on screen, unrounded. The table is built once and its data replaced while the
 * columns stay the same (a province switch), so a switch costs no rebuild.
 */
export class TableBox {
  constructor(app, { id, search = true, getMeta, tools }) {
    this.app = app;
    this.id = id;
    this.getMeta = getMeta;
    this.heading = h("h3", { class: "vc-box-title" });
    this.count = h("span", { class: "vc-count", id: `vc-count-${id}` });
    this.search = search
      ? h("input", {
          type: "search",
          class: "vc-search",
          id: `vc-search-${id}`,
          placeholder: t("web.table.search"),
          "aria-label": t("web.table.search"),
          oninput: () => this.applySearch(),
        })
      : null;
    this.csv = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-csv`, onclick: () => this.download("csv") }, "CSV");
    this.xlsx = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-xlsx`, onclick: () => this.download("xlsx") }, "XLSX");
    this.tools = h("span", { class: "vc-tools" }, ...(tools || []));
    this.holder = h("div", { class: "vc-table", id: `vc-table-${id}` });
    this.el = h(
      "div",
      { class: "vc-box", "data-box": id },
      h("div", { class: "vc-box-head" }, this.heading, this.count, this.tools, this.search, h("span", { class: "vc-dls", title: t("web.download.table") }, this.csv, this.xlsx)),
      this.holder,
    );
    this.table = null;
    this.specs = {}; // field → column scale (core/format.js columnScale), read by the formatters
    this.signature = null;
    this.ready = Promise.resolve(true);
    this.total = 0;
    if (app.tables) app.tables.push(this);
  }

  /** Resolves once the current table has been built and its data is in. */
  whenBuilt(timeout = 8000) {
    return Promise.race([this.ready, new Promise((resolve) => setTimeout(() => resolve(false), timeout))]);
  }

  setTitle(text) {
    this.heading.textContent = text;
  }

  /** A title with tagged numbers in it (core/format.js htmlText). */
  setTitleHtml(html) {
    this.heading.innerHTML = html;
  }

  /** columns: Tabulator column definitions; exportColumns: [{field, title, unit, searchable}] */
  setData(columns, rows, exportColumns, opts = {}) {
    this.exportColumns = exportColumns;
    this.total = rows.length;
    // the same columns (titles included: they carry the units) → only the data change
    const signature = JSON.stringify(columns, (k, v) => (typeof v === "function" ? String(v) : v)) + JSON.stringify(opts.initialSort || null);
    if (this.table && this.built && signature === this.signature) {
      // the formatters read this.specs, so new scales and decimals apply to the new rows
      this.ready = this.table.replaceData(rows).then(() => {
        this.applySearch();
        this.showCount(this.table.getDataCount("active"), rows.length);
        return true;
      });
      return this.ready;
    }
    this.signature = signature;
    if (this.table) {
      this.table.destroy();
      this.table = null;
    }
    this.built = false;
    this.filtered = false;
    this.ready = new Promise((resolve) => {
      this.table = new Tabulator(this.holder, {
        data: rows,
        columns,
        layout: opts.layout || "fitDataStretch",
        height: opts.height || "62vh",
        index: opts.index || "id",
        initialSort: opts.initialSort,
        columnHeaderVertAlign: "bottom",
        columnDefaults: { headerWordWrap: true }, // long headers (with their units) wrap, never cut
        placeholder: t("web.table.empty"),
        renderVertical: "virtual",
        rowHeight: 28, // one line per row: no row is measured (a province switch redraws 1,700 rows)
        renderHorizontal: opts.renderHorizontal || "basic",
      });
      this.table.on("dataFiltered", (filters, rowsShown) => this.showCount(rowsShown.length, this.total));
      this.table.on("tableBuilt", () => {
        this.built = true;
        this.applySearch();
        this.showCount(this.table.getDataCount("active"), this.total);
        resolve(true);
      });
    });
    return this.ready;
  }

  /**
   * A numeric column in one scale with fixed decimals (the unit in its header):
   * spec = columnScale(unit, values). extra: more Tabulator column options ({bare: true}: the
   * unit is in the group's header, not in this one).
   */
  numColumn(field, title, spec, extra = {}) {
    this.specs[field] = spec;
    return Object.assign(
      { title: extra.bare ? title : headerWith(title, spec), field, hozAlign: "right", sorter: nullsLast, minWidth: 64, maxWidth: 150, formatter: (c) => cellHtml(c.getValue(), this.specs[c.getField()]) },
      Object.fromEntries(Object.entries(extra).filter(([k]) => k !== "bare")),
    );
  }

  /** A share column (fractions of 1 shown as "52.1 %"). */
  shareColumn(field, title, extra = {}) {
    return Object.assign({ title, field, hozAlign: "right", sorter: nullsLast, minWidth: 60, maxWidth: 120, formatter: (c) => shareHtml(c.getValue()) }, extra);
  }

  /** A change column: b against a of the same row as a signed percentage ("+10.4 %"). */
  changeColumn(field, title, aField, bField, extra = {}) {
    return Object.assign(
      { title, field, hozAlign: "right", sorter: nullsLast, minWidth: 64, maxWidth: 150, formatter: (c) => changeHtml(c.getRow().getData()[aField], c.getRow().getData()[bField]), formatterParams: { a: aField, b: bField } },
      extra,
    );
  }

  /** An integer column (ranks, percentiles): tagged, no decimals. */
  intColumn(field, title, code, extra = {}) {
    return Object.assign(
      { title, field, hozAlign: "right", sorter: nullsLast, minWidth: 56, maxWidth: 110, formatter: (c) => (c.getValue() === null || c.getValue() === undefined ? tag("–", "na") : tag(String(Math.round(c.getValue())), code)) },
      extra,
    );
  }

  showCount(shown, total) {
    this.count.innerHTML = htmlText("web.table.count", {}, { shown: countHtml(shown), total: countHtml(total) });
  }

  applySearch() {
    if (!this.table || !this.built) return;
    const q = this.search ? this.search.value.trim().toLowerCase() : "";
    const extra = this.extraFilter;
    if (!q && !extra) {
      // clearing a filter that is not there would draw the whole table once more
      if (this.filtered) this.table.clearFilter();
      this.filtered = false;
      return;
    }
    this.filtered = true;
    const fields = this.exportColumns.filter((c) => c.searchable).map((c) => c.field);
    this.table.setFilter(
      (row) =>
        (!extra || extra(row)) &&
        (!q || fields.some((f) => String(row[f] === null || row[f] === undefined ? "" : row[f]).toLowerCase().includes(q))),
    );
  }

  redraw() {
    if (this.table && this.built && this.holder.offsetParent !== null) this.table.redraw(true);
  }

  download(kind) {
    if (!this.table) return;
    const rows = this.table.getData("active");
    const s = this.app.state;
    const meta = Object.assign({ title: this.heading.textContent }, this.getMeta());
    const name = `${safeName(["viscarbon", this.id, s.dataset, s.year, s.region])}.${kind}`;
    if (kind === "csv") downloadCsv(this.exportColumns, rows, meta, name);
    else downloadXlsx(this.exportColumns, rows, meta, name);
  }
}

/** The "top N" number field of the Trends, Sankey and Inventory tabs (state.n, 1 … max). */
export function topNInput(app, id, max = 60) {
  return h("input", {
    id,
    type: "number",
    min: "1",
    max: String(max),
    step: "1",
    onchange: (e) => {
      const v = Number(e.target.value);
      if (Number.isInteger(v) && v >= 1 && v <= max) app.update({ n: v });
      else e.target.value = String(Math.min(app.state.n, max));
    },
  });
}

/**
 * The headline strip above every province view (issue "the dashboard as a planner's
 * instrument", item 1): a row of tiles [{label, html (a tagged number from core/format.js),
 * note}] that wraps on a phone. Hidden while empty; app.js owns one (#vc-headline) between
 * the notices and the tab panels and gives it to whoever fills it (a headline endpoint).
 */
export class HeadlineStrip {
  constructor() {
    this.el = h("section", { class: "vc-headline", id: "vc-headline", "aria-label": t("web.headline"), hidden: true });
  }

  set(tiles) {
    clear(this.el);
    for (const tile of tiles || []) {
      const value = h("div", { class: "vc-tile-value" });
      value.innerHTML = tile.html;
      // note: plain text, or HTML (tagged numbers) from htmlText(); title: how it is computed
      let note = null;
      if (tile.note) {
        note = h("div", { class: "vc-tile-note" });
        note.innerHTML = tile.note;
      }
      this.el.appendChild(h("div", { class: "vc-tile", "data-tile": tile.code || null, title: tile.title || null, tabindex: tile.title ? "0" : null }, h("div", { class: "vc-tile-label" }, tile.label), value, note));
    }
    this.el.hidden = !(tiles && tiles.length);
  }
}
