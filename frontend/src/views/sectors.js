// The Sectors tab: one row per sector with the indicator picked in the sidebar (value, share of
// the province, rank, percentile), more indicators from the column picker, and a total row of
// the rows shown. Derived from the view bundle (/api/view), the same from the server and from
// the static export; the downloads carry every indicator.
import { h, clear, option } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { columnScale, cellHtml, fmtShare, tag, headerWith } from "../core/format.js";
import { TableBox } from "../core/widgets.js";

export class SectorsView {
  constructor(app) {
    this.app = app;
    this.key = null;
  }

  mount(panel) {
    this.family = h("select", { id: "vc-sectors-family", "aria-label": t("web.filter.family"), onchange: () => this.filter() });
    this.pickerList = h("div", { class: "vc-picker-list", id: "vc-sectors-columns" });
    this.pickerCount = h("span", { class: "vc-picker-count" });
    this.picker = h("details", { class: "vc-picker", id: "vc-sectors-picker" },
      h("summary", null, t("web.sectors.columns"), " ", this.pickerCount), this.pickerList);
    const familyField = h("label", { class: "vc-inline" }, t("web.filter.family"), this.family);
    this.box = new TableBox(this.app, { id: "sectors", getMeta: () => this.meta(), tools: [familyField, this.picker] });
    this.hint = h("p", { class: "vc-box-note", id: "vc-sectors-note" });
    this.box.el.appendChild(this.hint);
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

  /** The indicators shown: the sidebar's first, then those picked (state.cols). */
  shown(state, inds) {
    const extra = String(state.cols || "").split(",").filter(Boolean);
    return [state.indicator, ...extra.filter((c) => c !== state.indicator)].map((c) => inds.find((i) => i.code === c)).filter(Boolean);
  }

  fillPicker(state, inds) {
    clear(this.pickerList);
    const extra = String(state.cols || "").split(",").filter(Boolean);
    for (const i of inds) {
      const main = i.code === state.indicator;
      const box = h("input", {
        type: "checkbox",
        value: i.code,
        checked: main || extra.includes(i.code),
        disabled: main,
        onchange: () => {
          const picked = [...this.pickerList.querySelectorAll("input:checked:not(:disabled)")].map((x) => x.value);
          this.app.update({ cols: picked.join(",") }, "replace");
        },
      });
      this.pickerList.appendChild(h("label", { class: "vc-picker-item" }, box, i.label));
    }
    this.pickerCount.textContent = t("web.sectors.columns_count", { n: 1 + extra.filter((c) => c !== state.indicator).length, total: inds.length });
  }

  async render(state, view) {
    const s = state;
    const app = this.app;
    this.box.setTitle(t("web.sectors.title", { region: app.regionLabel(s.region), year: s.year }));
    const key = `${view.key}|${view.lang}|${s.indicator}|${s.cols}|${s.co2}`;
    if (key === this.key) {
      this.box.redraw();
      return;
    }
    this.key = key;
    const fam = this.family.value;
    clear(this.family);
    this.family.appendChild(option("", t("web.filter.all")));
    for (const f of app.meta.families || []) this.family.appendChild(option(f.code, f.label, f.code === fam));
    const units = app.units();
    const inds = (app.meta.indicators || []).filter((i) => view.nodes.some((n) => n.indicators[i.code] !== undefined));
    this.fillPicker(s, inds);
    const rows = view.nodes.map((n) => {
      const r = { id: n.code, code: n.code, label: n.label, family: n.family, family_label: app.family(n.family).label };
      for (const i of inds) {
        const x = n.indicators[i.code] || {};
        r[i.code] = x.value === undefined ? null : x.value;
        r[`${i.code}_share`] = x.share === undefined ? null : x.share;
        r[`${i.code}_rank`] = x.rank === undefined ? null : x.rank;
        r[`${i.code}_percentile`] = x.percentile === undefined ? null : x.percentile;
      }
      return r;
    });
    const box = this.box;
    const shown = this.shown(s, inds);
    const additive = (i) => i.additive !== undefined ? i.additive : rows.some((r) => r[`${i.code}_share`] !== null);
    // the total row sums the rows shown (after the family filter and the search)
    const sum = (values) => {
      let acc = 0;
      for (const v of values) {
        if (v === null || v === undefined) return null;
        acc += v;
      }
      return values.length ? acc : null;
    };
    const total = (field) => (values) => sum(values);
    const ratio = (num, den) => (values, data) => {
      const a = sum(data.map((r) => r[num]));
      const b = sum(data.map((r) => r[den]));
      return a === null || !b ? null : a / b;
    };
    const columns = [
      { title: t("web.col.code"), field: "code", frozen: true, minWidth: 64, sorter: "string", bottomCalc: () => "", bottomCalcFormatter: () => "" },
      { title: t("web.col.sector"), field: "label", frozen: true, minWidth: 180, maxWidth: 320, tooltip: true, bottomCalc: () => t("web.sectors.total_row"), bottomCalcFormatter: (c) => `<b>${c.getValue()}</b>` },
      { title: t("web.col.family"), field: "family_label", width: 150, tooltip: true },
      ...shown.map((i) => {
        const spec = columnScale(i.unit, rows.map((r) => r[i.code]));
        const calc = additive(i) ? total(i.code) : i.code === "intensity" ? ratio("co2", "output") : null;
        const value = box.numColumn(i.code, t("web.col.value"), spec, {
          bare: true,
          bottomCalc: calc || (() => null),
          bottomCalcFormatter: (c) => (c.getValue() === null ? "" : `<b>${cellHtml(c.getValue(), box.specs[c.getField()])}</b>`),
        });
        const group = [value];
        if (additive(i)) group.push(box.shareColumn(`${i.code}_share`, t("web.col.share"), { bottomCalc: total(`${i.code}_share`), bottomCalcFormatter: (c) => (c.getValue() === null ? "" : `<b>${tag(fmtShare(c.getValue()), "pct")}</b>`) }));
        group.push(box.intColumn(`${i.code}_rank`, t("web.col.rank"), "rank"));
        group.push(box.intColumn(`${i.code}_percentile`, t("web.col.percentile"), "percentile"));
        return { title: headerWith(i.label, spec), columns: group };
      }),
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
    this.hint.textContent = t("web.sectors.note", { indicator: (shown[0] || {}).label || s.indicator });
    const sortField = inds.some((i) => i.code === s.indicator) ? s.indicator : "code";
    await this.box.setData(columns, rows, exportColumns, { initialSort: [{ column: sortField, dir: sortField === "code" ? "asc" : "desc" }] });
    this.filter();
  }
}
