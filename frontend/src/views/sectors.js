// The Sectors tab: one row per sector, every indicator with value, share, rank and
// percentile; derived from the view bundle (/api/view), the same from the server and from
// the static export.
import { h, clear, option } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { TableBox } from "../core/widgets.js";

const numFmt = (cell) => fmt(cell.getValue());
const pctFmt = (cell) => {
  const v = cell.getValue();
  return v === null || v === undefined ? "–" : `${fmt(v * 100, 3)} %`;
};
const nullsLast = (a, b, aRow, bRow, column, dir) => {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an && bn) return 0;
  if (an) return dir === "asc" ? 1 : -1;
  if (bn) return dir === "asc" ? -1 : 1;
  return a - b;
};

export class SectorsView {
  constructor(app) {
    this.app = app;
    this.key = null;
  }

  mount(panel) {
    this.box = new TableBox(this.app, { id: "sectors", getMeta: () => this.meta() });
    this.family = h("select", { id: "vc-sectors-family", "aria-label": t("web.filter.family"), onchange: () => this.filter() });
    this.box.el.querySelector(".vc-box-head").insertBefore(h("label", { class: "vc-inline" }, t("web.filter.family"), this.family), this.box.search);
    panel.appendChild(this.box.el);
  }

  meta() {
    const s = this.app.state;
    return this.app.downloadMeta({ title: t("web.sectors.title", { region: this.app.regionLabel(s.region), year: s.year }) });
  }

  filter() {
    const fam = this.family.value;
    this.box.extraFilter = fam ? (row) => row.family === fam : null;
    this.box.applySearch();
  }

  resize() {
    this.box.redraw();
  }

  async render(state, view) {
    const s = state;
    this.box.setTitle(t("web.sectors.title", { region: this.app.regionLabel(s.region), year: s.year }));
    const key = `${view.key}|${view.lang}|${s.indicator}`;
    if (key === this.key) {
      this.box.redraw();
      return;
    }
    this.key = key;
    const fam = this.family.value;
    clear(this.family);
    this.family.appendChild(option("", t("web.filter.all")));
    for (const f of this.app.meta.families || []) this.family.appendChild(option(f.code, f.label, f.code === fam));
    const units = this.app.units();
    const inds = (this.app.meta.indicators || []).filter((i) => view.nodes.some((n) => n.indicators[i.code] !== undefined));
    const rows = view.nodes.map((n) => {
      const r = { id: n.code, code: n.code, label: n.label, family: n.family, family_label: this.app.family(n.family).label };
      for (const i of inds) {
        const x = n.indicators[i.code] || {};
        r[i.code] = x.value === undefined ? null : x.value;
        r[`${i.code}_share`] = x.share === undefined ? null : x.share;
        r[`${i.code}_rank`] = x.rank === undefined ? null : x.rank;
        r[`${i.code}_percentile`] = x.percentile === undefined ? null : x.percentile;
      }
      return r;
    });
    const columns = [
      { title: t("web.col.code"), field: "code", frozen: true, minWidth: 76, sorter: "string" },
      { title: t("web.col.sector"), field: "label", frozen: true, minWidth: 180, maxWidth: 320, tooltip: true },
      { title: t("web.col.family"), field: "family_label", width: 160, tooltip: true },
      // the indicator picked in the sidebar (the sort key) comes first, then the others
      ...[...inds.filter((i) => i.code === s.indicator), ...inds.filter((i) => i.code !== s.indicator)].map((i) => ({
        title: `${i.label} [${units[i.unit] || i.unit}]`,
        columns: [
          { title: t("web.col.value"), field: i.code, hozAlign: "right", sorter: nullsLast, formatter: numFmt },
          { title: t("web.col.share"), field: `${i.code}_share`, hozAlign: "right", sorter: nullsLast, formatter: pctFmt },
          { title: t("web.col.rank"), field: `${i.code}_rank`, hozAlign: "right", sorter: nullsLast },
          { title: t("web.col.percentile"), field: `${i.code}_percentile`, hozAlign: "right", sorter: nullsLast, formatter: numFmt },
        ],
      })),
    ];
    const exportColumns = [
      { field: "code", title: t("web.col.code"), searchable: true },
      { field: "label", title: t("web.col.sector"), searchable: true },
      { field: "family", title: t("web.col.family"), searchable: true },
      { field: "family_label", title: t("web.col.family"), searchable: true },
      ...inds.flatMap((i) => [
        { field: i.code, title: i.label, unit: units[i.unit] || i.unit },
        { field: `${i.code}_share`, title: `${i.label}: ${t("web.col.share")}`, unit: t("web.unit.fraction") },
        { field: `${i.code}_rank`, title: `${i.label}: ${t("web.col.rank")}` },
        { field: `${i.code}_percentile`, title: `${i.label}: ${t("web.col.percentile")}`, unit: "%" },
      ]),
    ];
    const sortField = inds.some((i) => i.code === s.indicator) ? s.indicator : "code";
    this.box.setData(columns, rows, exportColumns, { initialSort: [{ column: sortField, dir: sortField === "code" ? "asc" : "desc" }] });
    this.filter();
  }
}
