// The Flows tab: the province's inter-sector flows in the current link mode, with filters
// (supplier, user, intra-sector, minimum); derived from the view bundle (/api/view). The
// minimum is typed in the unit the value column shows (亿元, ¥ billion, Mt CO2) and kept in
// the URL in the data's unit (min, 10,000 yuan or Mt, as /api/flows takes it).
import { h, clear, option } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { columnScale, countHtml, htmlText, number, escapeHtml } from "../core/format.js";
import { TableBox } from "../core/widgets.js";

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
        const factor = this.spec ? this.spec.factor : 1;
        if (Number.isFinite(v) && v >= 0) upd({ min: v * factor });
        else this.min.value = String(this.app.state.min / factor);
      },
    });
    this.minLabel = h("span", { id: "vc-flows-min-label" });
    this.edgeCount = h("p", { class: "vc-stats", id: "vc-flows-count" });
    const filters = h("div", { class: "vc-filters" },
      h("label", { class: "vc-inline" }, t("web.flows.from"), this.from),
      h("label", { class: "vc-inline" }, t("web.flows.to"), this.to),
      h("label", { class: "vc-inline" }, t("web.flows.intra"), this.intra),
      h("label", { class: "vc-inline" }, this.minLabel, this.min));
    panel.appendChild(filters);
    panel.appendChild(this.edgeCount);
    panel.appendChild(this.box.el);
  }

  meta() {
    const s = this.app.state;
    const modeUnit = this.app.modeUnit();
    return this.app.downloadMeta({
      title: t("web.flows.title", { region: this.app.regionLabel(s.region), year: s.year, mode: t(`web.mode.${s.mode}`) }),
      units: `value=${this.app.units()[modeUnit] || modeUnit}`,
      filters: `from=${s.from || "*"}; to=${s.to || "*"}; intra=${s.intra}; min=${s.min}`,
    });
  }

  resize() {
    this.box.redraw();
  }

  async render(state, view) {
    const unit = this.app.modeUnit(state.mode);
    this.box.setTitle(t("web.flows.title", { region: this.app.regionLabel(state.region), year: state.year, mode: t(`web.mode.${state.mode}`) }));
    const optionsKey = `${view.key}|${view.lang}`;
    if (this.optionsKey !== optionsKey) {
      this.optionsKey = optionsKey;
      for (const sel of [this.from, this.to]) {
        clear(sel);
        sel.appendChild(option("", t("web.filter.all")));
        for (const n of view.nodes) sel.appendChild(option(n.code, `${n.code} ${n.short || n.label}`));
      }
    }
    this.from.value = state.from;
    this.to.value = state.to;
    this.intra.value = state.intra;
    const key = [view.key, view.lang, state.mode, state.from, state.to, state.intra, state.min, state.co2].join("|");
    const links = view.links && view.links[state.mode];
    // one scale for the whole block of the mode (filters do not change the unit)
    this.spec = columnScale(unit, links && links.values ? links.values.filter((v) => v > 0) : []);
    this.minLabel.textContent = t("web.flows.min", { unit: this.spec.label });
    this.min.value = state.min ? number(state.min / this.spec.factor, 6, { trim: true }).replace(/,/g, "") : "0";
    if (key === this.key) {
      this.box.redraw();
      return;
    }
    this.key = key;
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
    if (links && links.values) this.edgeCount.innerHTML = htmlText("web.flows.count", {}, { count: countHtml(rows.length), nonzero: countHtml(nonzero) });
    if (links && links.values && state.mode === "carbon") this.edgeCount.innerHTML += ` · ${escapeHtml(t("web.graph.embodied_note"))}`;
    else this.edgeCount.textContent = t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
    this.edgeCount.dataset.count = String(rows.length);
    const box = this.box;
    const columns = [
      { title: t("web.flows.from"), field: "source", minWidth: 70 },
      { title: t("web.col.sector"), field: "source_label", minWidth: 96 },
      { title: t("web.flows.to"), field: "target", minWidth: 70 },
      { title: t("web.col.sector"), field: "target_label", minWidth: 96 },
      box.numColumn("value", t("web.col.value"), this.spec),
      box.shareColumn("share", t("web.col.share")),
      box.intColumn("rank", t("web.col.rank"), "rank"),
      { title: t("web.flows.intra_col"), field: "intra", formatter: (c) => (c.getValue() ? "✓" : ""), hozAlign: "center" },
    ];
    const units = this.app.units();
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
    await this.box.setData(columns, rows, exportColumns, { initialSort: [{ column: "value", dir: "desc" }] });
  }
}
