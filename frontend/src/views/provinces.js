// The Provinces tab: all regions for one indicator (/api/provinces): a tile-grid map of
// China (one tile per province, click to select), the ranking, production- vs
// consumption-based CO2 and the table. Values in one scale per chart (the unit in its title).
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { FONT, SEQUENTIAL, MISSING_GREY, ramp, textWidth, tileGridOption, tileRect } from "../core/charts.js";
import { escapeHtml, numHtml, columnScale, fmtIn, axisFormatter } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";

// Fallback tile grid [row, column] when /api/meta has no tiles (rough geography of China).
const TILES = {
  HL: [0, 9], JL: [1, 9], LN: [2, 9], NM: [1, 6], BJ: [2, 7], TJ: [2, 8], HE: [3, 7], SX: [3, 6], SD: [3, 8],
  XJ: [2, 1], GS: [3, 4], NX: [3, 5], QH: [4, 3], SN: [4, 5], HA: [4, 6], JS: [4, 8], XZ: [5, 2], SC: [5, 4],
  CQ: [5, 5], HB: [5, 6], AH: [5, 7], SH: [5, 9], ZJ: [6, 8], JX: [6, 7], HN: [6, 6], GZ: [6, 5], YN: [7, 4],
  GX: [7, 5], GD: [7, 6], FJ: [7, 7], HI: [8, 6],
};

const width = (text, size) => textWidth(text, size);

/**
 * The names on the tiles, one font size for all: the largest size (12 … 9 px) at which every
 * name fits its tile (a two-word name on two lines); when some name does not fit even at
 * 9 px, every tile shows its code instead. → (d) => {name, size}
 */
function tileTexts(tiles, w) {
  const room = w - 6;
  const fit = (label, size) => width(label, size) <= room || (label.includes(" ") && Math.max(...label.split(" ").map((l) => width(l, size))) <= room);
  for (const size of [12, 11, 10, 9]) {
    if (tiles.every((d) => fit(d.label, size))) {
      return (d) => ({ name: width(d.label, size) <= room ? d.label : d.label.replace(" ", "\n"), size });
    }
  }
  const size = Math.max(8, Math.min(11, room / 2.2));
  return (d) => ({ name: d.code, size });
}

const STATUS = { reported: "web.status.reported", imputed: "web.status.imputed", missing: "web.status.missing" };

export class ProvincesView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.map = new ChartBox(this.app, { id: "provinces-map", cls: "vc-chart-map", getMeta: () => this.meta() });
    this.bars = new ChartBox(this.app, { id: "provinces", cls: "vc-chart-map", getMeta: () => this.meta() });
    this.pc = new ChartBox(this.app, { id: "provinces-pc", getMeta: () => this.meta("mt") });
    this.table = new TableBox(this.app, { id: "provinces", getMeta: () => this.meta() });
    this.grid = h("div", { class: "vc-grid2" }, this.map.el, this.bars.el);
    this.scope = h("div", { class: "vc-notice vc-info", id: "vc-provinces-scope", hidden: true });
    panel.appendChild(this.scope);
    panel.appendChild(this.grid);
    panel.appendChild(this.pc.el);
    panel.appendChild(this.table.el);
  }

  meta(unit) {
    const p = this.last;
    const units = this.app.units();
    return this.app.downloadMeta({
      title: t("web.provinces.title", { indicator: (this.app.indicator(this.app.state.indicator) || {}).label, year: this.app.state.year }),
      region: "all",
      units: unit ? units[unit] : p ? `value=${units[p.unit] || p.unit}; production_mt, consumption_mt=${units.mt || "Mt CO2"}` : "",
    });
  }

  resize() {
    this.map.resize();
    this.bars.resize();
    this.pc.resize();
    this.table.redraw();
  }

  async render(state) {
    const p = await this.app.src.get("provinces", { dataset: state.dataset, year: state.year, indicator: state.indicator });
    this.last = p;
    this.lastState = state;
    const ind = this.app.indicator(state.indicator) || { label: state.indicator };
    const rows = p.rows.slice();
    const spec = columnScale(p.unit, rows.map((r) => r.value));
    this.map.setTitle(t("web.provinces.map_title", { indicator: ind.label, year: state.year }));
    this.bars.setTitle(t("web.provinces.title", { indicator: ind.label, year: state.year }));
    this.pc.setTitle(t("web.provinces.pc_title", { year: state.year }));
    this.table.setTitle(t("web.provinces.table_title", { year: state.year }));

    // a national table (one region): no map and no ranking, say why
    const single = this.app.singleRegion(state.dataset) || rows.length === 1;
    this.grid.hidden = single;
    this.scope.hidden = !single;
    this.scope.textContent = single ? t("web.single_region.provinces", { region: this.app.regionLabel(rows.length ? rows[0].code : state.region) }) : "";
    if (single) {
      this.map.clear();
      this.bars.clear();
    } else {
      this.map.resize();
      this.bars.resize();
      this.drawMap(state, p, rows, ind, spec);
      this.drawBars(state, p, rows, ind, spec);
    }
    this.drawPc(state, rows);
    await this.drawTable(rows, ind, p.unit);
  }

  drawMap(state, p, rows, ind, spec) {
    const known = rows.filter((r) => r.value !== null);
    const vmin = Math.min(...known.map((r) => r.value));
    const vmax = Math.max(...known.map((r) => r.value));
    const tiles = rows.map((r) => {
      const meta = this.app.region(r.code) || {};
      const tile = r.tile || meta.tile || TILES[r.code] || [9, 0];
      const q = r.value === null ? NaN : vmax === vmin ? 0.5 : (r.value - vmin) / (vmax - vmin);
      return { value: [tile[1], tile[0], r.value], code: r.code, label: r.label, status: r.status, colour: r.value === null ? MISSING_GREY : ramp(SEQUENTIAL, q), dark: q > 0.45 };
    });
    let texts = null;
    let textsFor = null;
    this.map.set(
      tileGridOption(tiles, {
        tooltip: {
          formatter: (x) => {
            const d = x.data;
            const extra = d.status === "missing" ? `<br><i>${escapeHtml(t("common.missing_inventory"))}</i>` : d.status === "imputed" ? `<br><i>${escapeHtml(t("web.provinces.imputed"))}</i>` : "";
            return `<b>${escapeHtml(d.label)}</b> (${escapeHtml(d.code)})<br>${escapeHtml(ind.label)}: ${numHtml(d.value[2], p.unit)}${extra}`;
          },
        },
        drawTile: (d, c) => {
          const selected = d.code === this.app.state.region;
          if (!texts || textsFor !== c.w) {
            texts = tileTexts(tiles, c.w);
            textsFor = c.w;
          }
          const name = texts(d);
          const value = `${fmtIn(d.value[2], spec)}${d.status === "imputed" ? "*" : ""}`;
          const vsize = Math.max(8, Math.min(name.size, (c.w - 6) / Math.max(2.5, value.length * 0.58)));
          const fill = d.dark ? "#fff" : "#111";
          return [
            tileRect(c, { fill: d.colour, stroke: selected ? "#000" : d.status === "imputed" ? "#8a1c00" : "#fff", lineWidth: selected ? 2.5 : d.status === "imputed" ? 1.5 : 1, lineDash: d.status === "imputed" ? [4, 3] : null }),
            { type: "text", style: { x: c.x + c.w / 2, y: c.y + c.h / 2 - 1, text: name.name, align: "center", verticalAlign: "bottom", fill, font: `${name.size}px ${FONT}`, lineHeight: name.size + 1 } },
            { type: "text", style: { x: c.x + c.w / 2, y: c.y + c.h / 2 + 1, text: value, align: "center", verticalAlign: "top", fill, font: `bold ${vsize}px ${FONT}` } },
          ];
        },
      }),
    );
    this.map.note.innerHTML = escapeHtml(t("web.provinces.map_note", { unit: spec.label || t("web.unit.none") })) + (rows.some((r) => r.status === "imputed") ? ` ${escapeHtml(t("web.provinces.imputed"))}` : "");
    this.map.chart.off("click");
    this.map.chart.on("click", (x) => x.data && this.app.update({ region: x.data.code }));
  }

  drawBars(state, p, rows, ind, spec) {
    const narrow = this.bars.plot.clientWidth < 480;
    const sorted = rows.slice().sort((a, b) => (b.value === null ? -Infinity : b.value) - (a.value === null ? -Infinity : a.value));
    this.bars.set({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => {
        const x = [].concat(ps)[0];
        const r = sorted[x.dataIndex];
        return `<b>${escapeHtml(r.label)}</b> (${escapeHtml(r.code)})<br>${escapeHtml(ind.label)}: ${numHtml(r.value, p.unit)}`;
      } },
      grid: { left: narrow ? 40 : 96, right: 24, top: 28, bottom: 24 },
      yAxis: { type: "category", data: sorted.map((r) => (narrow && this.app.lang !== "zh-Hans" ? r.code : r.label)), inverse: true, axisLabel: { fontSize: 10, interval: 0 } },
      xAxis: { type: "value", name: spec.label, nameLocation: "end", nameTextStyle: { align: "right", verticalAlign: "top", padding: [-34, 0, 0, 0] }, position: "top", axisLabel: { formatter: axisFormatter(spec), fontSize: 10 }, splitNumber: narrow ? 3 : 5 },
      series: [
        {
          type: "bar",
          name: ind.label,
          barCategoryGap: "25%",
          data: sorted.map((r) => ({ value: r.value, itemStyle: { color: r.code === state.region ? "#D55E00" : r.value === null ? MISSING_GREY : "#0072B2" } })),
        },
      ],
    });
    const missing = rows.filter((r) => r.value === null).map((r) => r.label);
    this.bars.note.textContent = missing.length ? t("web.provinces.missing", { regions: missing.join(t("web.list_sep")) }) : "";
  }

  drawPc(state, rows) {
    // production- vs consumption-based CO2
    const narrow = this.pc.plot.clientWidth < 640;
    const pcs = rows.slice().sort((a, b) => (b.production_mt || 0) - (a.production_mt || 0));
    const spec = columnScale("mt", pcs.flatMap((r) => [r.production_mt, r.consumption_mt]));
    this.pc.set({
      tooltip: { trigger: "axis", formatter: (ps) => {
        const list = [].concat(ps);
        const r = pcs[list[0].dataIndex];
        return [`<b>${escapeHtml(r.label)}</b> (${escapeHtml(r.code)})`, ...list.map((x) => `${x.marker}${escapeHtml(x.seriesName)}: <b>${numHtml(x.value, "mt")}</b>`)].join("<br>");
      } },
      legend: { top: 0, right: 8 },
      grid: { left: 56, right: 16, top: 52, bottom: narrow ? 36 : 60 },
      xAxis: { type: "category", data: pcs.map((r) => (narrow && this.app.lang !== "zh-Hans" ? r.code : r.label)), axisLabel: { rotate: narrow ? 90 : 60, fontSize: narrow ? 9 : 10, interval: 0 } },
      yAxis: { type: "value", name: spec.label, axisLabel: { formatter: axisFormatter(spec) } },
      series: [
        { type: "bar", name: t("web.provinces.production"), data: pcs.map((r) => r.production_mt), itemStyle: { color: "#E69F00" } },
        { type: "bar", name: t("web.provinces.consumption"), data: pcs.map((r) => r.consumption_mt), itemStyle: { color: "#56B4E9" } },
      ],
    });
    this.pc.note.textContent = `${t("web.provinces.pc_note")} ${t("web.provinces.parts_note")}`;
  }

  drawTable(rows, ind, unit) {
    const box = this.table;
    const units = this.app.units();
    const tableRows = rows.map((r) => ({ id: r.code, code: r.code, label: r.label, value: r.value, rank: r.rank, status: r.status, status_label: STATUS[r.status] ? t(STATUS[r.status]) : r.status, production_mt: r.production_mt, households_mt: r.households_mt, consumption_mt: r.consumption_mt }));
    const mt = columnScale("mt", rows.flatMap((r) => [r.production_mt, r.consumption_mt]));
    return box.setData(
      [
        { title: t("web.col.code"), field: "code", minWidth: 60 },
        { title: t("web.col.region"), field: "label", minWidth: 100 },
        box.numColumn("value", ind.label, columnScale(unit, rows.map((r) => r.value))),
        box.intColumn("rank", t("web.col.rank"), "rank"),
        box.numColumn("production_mt", t("web.provinces.production"), mt),
        box.numColumn("households_mt", t("web.provinces.households"), mt),
        box.numColumn("consumption_mt", t("web.provinces.consumption"), mt),
        { title: t("web.col.status"), field: "status_label", formatter: (c) => escapeHtml(c.getValue() || "") },
      ],
      tableRows,
      [
        { field: "code", title: t("web.col.code"), searchable: true },
        { field: "label", title: t("web.col.region"), searchable: true },
        { field: "value", title: ind.label, unit: units[unit] || unit },
        { field: "rank", title: t("web.col.rank") },
        { field: "production_mt", title: t("web.provinces.production"), unit: units.mt },
        { field: "households_mt", title: t("web.provinces.households"), unit: units.mt },
        { field: "consumption_mt", title: t("web.provinces.consumption"), unit: units.mt },
        { field: "status", title: t("web.col.status"), searchable: true },
        { field: "status_label", title: t("web.col.status"), searchable: true },
      ],
      { height: "auto", initialSort: [{ column: "value", dir: "desc" }] },
    );
  }
}

