// The Flows tab: the province's inter-sector flows in the current link mode, with filters
// (supplier, user, intra-sector, minimum); derived from the view bundle (/api/view).
import { h, clear, option } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { TableBox } from "../core/widgets.js";

const numFmt = (cell) => fmt(cell.getValue());
const pctFmt = (cell) => {
  const v = cell.getValue();
  return v === null || v === undefined ? "–" : `${fmt(v * 100, 3)} %`;
};

export class FlowsView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.box = new TableBox(this.app, { id: "flows", getMeta: () => this.meta() });
    const upd = (patch) => this.app.update(patch);
    this.from = h("select", { id: "vc-flows-from", onchange: () => upd({ from: this.from.value }) });
    this.to = h("select", { id: "vc-flows-to", onchange: () => upd({ to: this.to.value }) });
    this.intra = h("select", { id: "vc-flows-intra", onchange: () => upd({ intra: this.intra.value }) },
      option("all", t("web.flows.intra.all")), option("exclude", t("web.flows.intra.exclude")), option("only", t("web.flows.intra.only")));
    this.min = h("input", {
      id: "vc-flows-min",
      type: "number",
      min: "0",
      step: "any",
      onchange: () => {
        const v = Number(this.min.value || 0);
        if (Number.isFinite(v) && v >= 0) upd({ min: v });
        else this.min.value = String(this.app.state.min);
      },
    });
    this.edgeCount = h("p", { class: "vc-stats", id: "vc-flows-count" });
    const filters = h("div", { class: "vc-filters" },
      h("label", { class: "vc-inline" }, t("web.flows.from"), this.from),
      h("label", { class: "vc-inline" }, t("web.flows.to"), this.to),
      h("label", { class: "vc-inline" }, t("web.flows.intra"), this.intra),
      h("label", { class: "vc-inline" }, h("span", { id: "vc-flows-min-label" }), this.min));
    panel.appendChild(filters);
    panel.appendChild(this.edgeCount);
    panel.appendChild(this.box.el);
  }

  meta() {
    const s = this.app.state;
    const modeUnit = this.modeUnit();
    return this.app.downloadMeta({
      title: t("web.flows.title", { region: this.app.regionLabel(s.region), year: s.year, mode: t(`web.mode.${s.mode}`) }),
      units: `value=${this.app.units()[modeUnit] || modeUnit}`,
      filters: `from=${s.from || "*"}; to=${s.to || "*"}; intra=${s.intra}; min=${s.min}`,
    });
  }

  modeUnit() {
    const m = (this.app.meta.modes || []).find((x) => x.code === this.app.state.mode);
    return m ? m.unit : this.app.state.mode === "carbon" ? "mt" : "10k_yuan";
  }

  resize() {
    this.box.redraw();
  }

  async render(state, view) {
    const units = this.app.units();
    const unit = this.modeUnit();
    this.box.setTitle(t("web.flows.title", { region: this.app.regionLabel(state.region), year: state.year, mode: t(`web.mode.${state.mode}`) }));
    for (const [sel, val] of [[this.from, state.from], [this.to, state.to]]) {
      clear(sel);
      sel.appendChild(option("", t("web.filter.all")));
      for (const n of view.nodes) sel.appendChild(option(n.code, `${n.code} ${n.short || n.label}`, n.code === val));
    }
    this.intra.value = state.intra;
    this.min.value = String(state.min);
    document.getElementById("vc-flows-min-label").textContent = t("web.flows.min", { unit: units[unit] || unit });
    const key = [view.key, view.lang, state.mode, state.from, state.to, state.intra, state.min].join("|");
    if (key === this.key) {
      this.box.redraw();
      return;
    }
    this.key = key;
    const links = view.links && view.links[state.mode];
    const S = view.S;
    const rows = [];
    let nonzero = 0;
    if (links && links.values) {
      const total = links.total || links.values.reduce((a, b) => a + (b || 0), 0);
      for (let c = 0; c < links.values.length; c++) {
        const v = links.values[c];
        if (v === null || !(v > 0)) continue;
        nonzero++;
        const i = Math.floor(c / S);
        const j = c % S;
        const a = view.nodes[i];
        const b = view.nodes[j];
        if (state.from && a.code !== state.from) continue;
        if (state.to && b.code !== state.to) continue;
        if (state.intra === "exclude" && i === j) continue;
        if (state.intra === "only" && i !== j) continue;
        if (v < state.min) continue;
        rows.push({
          id: c,
          source: a.code,
          source_label: a.short || a.label,
          target: b.code,
          target_label: b.short || b.label,
          value: v,
          share: total ? v / total : null,
          rank: links.rank[c] + 1,
          intra: i === j,
        });
      }
    }
    this.edgeCount.textContent = links && links.values
      ? t("web.flows.count", { count: rows.length, nonzero })
      : t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
    this.edgeCount.dataset.count = String(rows.length);
    const columns = [
      { title: t("web.flows.from"), field: "source", minWidth: 84 },
      { title: t("web.col.sector"), field: "source_label", minWidth: 150 },
      { title: t("web.flows.to"), field: "target", minWidth: 84 },
      { title: t("web.col.sector"), field: "target_label", minWidth: 150 },
      { title: `${t("web.col.value")} [${units[unit] || unit}]`, field: "value", hozAlign: "right", sorter: "number", formatter: numFmt },
      { title: t("web.col.share"), field: "share", hozAlign: "right", sorter: "number", formatter: pctFmt },
      { title: t("web.col.rank"), field: "rank", hozAlign: "right", sorter: "number" },
      { title: t("web.flows.intra_col"), field: "intra", formatter: (c) => (c.getValue() ? "✓" : ""), hozAlign: "center" },
    ];
    const exportColumns = [
      { field: "source", title: t("web.flows.from"), searchable: true },
      { field: "source_label", title: t("web.col.sector"), searchable: true },
      { field: "target", title: t("web.flows.to"), searchable: true },
      { field: "target_label", title: t("web.col.sector"), searchable: true },
      { field: "value", title: t("web.col.value"), unit: units[unit] || unit },
      { field: "share", title: t("web.col.share"), unit: t("web.unit.fraction") },
      { field: "rank", title: t("web.col.rank") },
      { field: "intra", title: t("web.flows.intra_col") },
    ];
    this.box.setData(columns, rows, exportColumns, { initialSort: [{ column: "value", dir: "desc" }] });
  }
}
