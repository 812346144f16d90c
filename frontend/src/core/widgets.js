// Chart and table boxes with their download buttons.
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { echarts, ANIMATE } from "./charts.js";
import { exportChart } from "./figures.js";
import { downloadCsv, downloadXlsx, safeName } from "./downloads.js";
import { Tabulator } from "./tabulator.js";

/**
 * A chart area: heading, PNG/SVG buttons, the chart element.
 * getMeta() → download metadata (title, units, …); name → file name stem.
 */
export class ChartBox {
  constructor(app, { id, cls, getMeta }) {
    this.app = app;
    this.id = id;
    this.getMeta = getMeta;
    this.heading = h("h3", { class: "vc-box-title" });
    this.png = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-png`, onclick: () => this.download("png") }, "PNG");
    this.svg = h("button", { type: "button", class: "vc-dl", "data-download": `${id}-svg`, onclick: () => this.download("svg") }, "SVG");
    this.note = h("p", { class: "vc-box-note" });
    this.plot = h("div", { class: `vc-chart ${cls || ""}`, id: `vc-chart-${id}` });
    this.el = h(
      "div",
      { class: "vc-box" },
      h("div", { class: "vc-box-head" }, this.heading, h("span", { class: "vc-dls", title: t("web.download.chart") }, this.png, this.svg)),
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
    chart.setOption(Object.assign({ animation: ANIMATE }, option), opts);
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

  resize() {
    if (this.chart && this.plot.offsetParent !== null) this.chart.resize();
  }

  download(kind) {
    if (!this.chart) return;
    const meta = this.getMeta();
    const s = this.app.state;
    exportChart(this.chart, kind, meta, `${safeName(["viscarbon", this.id, s.dataset, s.year, s.region])}.${kind}`);
  }
}

/**
 * A table area: heading, a search box, CSV/XLSX buttons, the Tabulator table.
 * getExport() → {columns: [{field, title, unit}], rows, meta}; the rows exported are the
 * filtered and sorted rows on screen.
 */
export class TableBox {
  constructor(app, { id, search = true, getMeta }) {
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
    this.holder = h("div", { class: "vc-table", id: `vc-table-${id}` });
    this.el = h(
      "div",
      { class: "vc-box" },
      h("div", { class: "vc-box-head" }, this.heading, this.count, this.search, h("span", { class: "vc-dls", title: t("web.download.table") }, this.csv, this.xlsx)),
      this.holder,
    );
    this.table = null;
    this.columns = [];
    this.builtWaiters = [];
    if (app.tables) app.tables.push(this);
  }

  /** Resolves once the current table has been built (Tabulator's 'tableBuilt'). */
  whenBuilt(timeout = 8000) {
    if (!this.table || this.built) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeout);
      this.builtWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  setTitle(text) {
    this.heading.textContent = text;
  }

  /** columns: Tabulator column definitions; exportColumns: [{field, title, unit}] */
  setData(columns, rows, exportColumns, opts = {}) {
    this.exportColumns = exportColumns;
    if (this.table) {
      this.table.destroy();
      this.table = null;
    }
    this.built = false;
    this.table = new Tabulator(this.holder, {
      data: rows,
      columns,
      layout: opts.layout || "fitDataStretch",
      height: opts.height || "62vh",
      index: opts.index || "id",
      initialSort: opts.initialSort,
      columnHeaderVertAlign: "bottom",
      placeholder: t("web.table.empty"),
      renderVertical: "virtual",
    });
    this.table.on("dataFiltered", (filters, rowsShown) => this.showCount(rowsShown.length, rows.length));
    this.table.on("tableBuilt", () => {
      this.built = true;
      this.applySearch();
      this.showCount(this.table.getDataCount("active"), rows.length);
      const waiters = this.builtWaiters;
      this.builtWaiters = [];
      for (const w of waiters) w();
    });
  }

  showCount(shown, total) {
    this.count.textContent = t("web.table.count", { shown, total });
  }

  applySearch() {
    if (!this.table || !this.built) return;
    const q = this.search ? this.search.value.trim().toLowerCase() : "";
    const extra = this.extraFilter;
    if (!q && !extra) {
      this.table.clearFilter();
      return;
    }
    const fields = this.exportColumns.filter((c) => c.searchable).map((c) => c.field);
    this.table.setFilter(
      (row) =>
        (!extra || extra(row)) &&
        (!q || fields.some((f) => String(row[f] === null || row[f] === undefined ? "" : row[f]).toLowerCase().includes(q))),
    );
  }

  redraw() {
    if (this.table) this.table.redraw(true);
  }

  download(kind) {
    if (!this.table) return;
    const rows = this.table.getData("active");
    const s = this.app.state;
    const meta = this.getMeta();
    const name = `${safeName(["viscarbon", this.id, s.dataset, s.year, s.region])}.${kind}`;
    if (kind === "csv") downloadCsv(this.exportColumns, rows, meta, name);
    else downloadXlsx(this.exportColumns, rows, meta, name);
  }
}

/** The "top N" number field of the Trends and Sankey tabs (state.n, 1 … max). */
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
      else e.target.value = String(app.state.n);
    },
  });
}
