// The Sankey tab: the N largest flows of the province's block as a bipartite supplier → user
// diagram (each sector twice), so A → B and B → A never form a cycle. Derived from /api/view.
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { FONT } from "../core/charts.js";
import { escapeHtml, numHtml, columnScale } from "../core/format.js";
import { ChartBox, topNInput } from "../core/widgets.js";

export class SankeyView {
  constructor(app) {
    this.app = app;
  }

  mount(panel) {
    this.n = topNInput(this.app, "vc-sankey-n");
    panel.appendChild(h("div", { class: "vc-filters" }, h("label", { class: "vc-inline" }, t("web.topn"), this.n), h("small", null, t("web.sankey.hint"))));
    this.box = new ChartBox(this.app, { id: "sankey", cls: "vc-chart-tall", getMeta: () => this.meta() });
    panel.appendChild(this.box.el);
  }

  meta() {
    const s = this.app.state;
    const m = (this.app.meta.modes || []).find((x) => x.code === s.mode) || {};
    return this.app.downloadMeta({ title: this.box.heading.textContent, units: this.app.units()[m.unit] || m.unit || "" });
  }

  resize() {
    this.box.resize();
  }

  /** The top-N flows as a bipartite supplier → user graph (cycle-free by construction). */
  static flows(view, mode, n) {
    const links = view.links && view.links[mode];
    if (!links || !links.values) return { nodes: [], links: [] };
    const S = view.S;
    const cells = [];
    for (let c = 0; c < links.values.length; c++) if (links.values[c] > 0) cells.push(c);
    cells.sort((a, b) => links.rank[a] - links.rank[b]);
    const chosen = cells.slice(0, n);
    const nodes = new Map();
    const out = [];
    for (const c of chosen) {
      const i = Math.floor(c / S);
      const j = c % S;
      const a = `s:${view.sectors[i]}`;
      const b = `u:${view.sectors[j]}`;
      if (!nodes.has(a)) nodes.set(a, { name: a, node: view.nodes[i], side: "s", depth: 0 });
      if (!nodes.has(b)) nodes.set(b, { name: b, node: view.nodes[j], side: "u", depth: 1 });
      out.push({ source: a, target: b, value: links.values[c], i, j });
    }
    return { nodes: [...nodes.values()], links: out };
  }

  async render(state, view) {
    this.n.value = String(state.n);
    const units = this.app.units();
    const m = (this.app.meta.modes || []).find((x) => x.code === state.mode) || { unit: "" };
    this.box.setTitle(t("web.sankey.title", { n: state.n, mode: t(`web.mode.${state.mode}`), region: this.app.regionLabel(state.region), year: state.year }));
    const { nodes, links } = SankeyView.flows(view, state.mode, state.n);
    if (!links.length) {
      this.box.clear();
      this.box.note.textContent = t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
      return;
    }
    this.box.note.textContent = t("web.sankey.note", { unit: columnScale(m.unit, links.map((l) => l.value)).label || units[m.unit] || m.unit || "" });
    const narrow = this.box.plot.clientWidth < 560;
    const label = (name) => {
      const x = nodes.find((k) => k.name === name);
      return x ? x.node.short || x.node.label : name;
    };
    this.box.set(
      {
        tooltip: {
          trigger: "item",
          formatter: (p) => {
            if (p.dataType === "edge") {
              return `${escapeHtml(label(p.data.source))} → ${escapeHtml(label(p.data.target))}<br><b>${numHtml(p.data.value, m.unit)}</b>`;
            }
            const side = p.name.startsWith("s:") ? t("web.sankey.supplier") : t("web.sankey.user");
            return `${escapeHtml(label(p.name))} (${escapeHtml(side)})<br><b>${numHtml(p.value, m.unit)}</b>`;
          },
        },
        graphic: [
          { type: "text", left: 10, top: 2, style: { text: t("web.sankey.suppliers"), font: `bold 12px ${FONT}` } },
          { type: "text", right: 10, top: 2, style: { text: t("web.sankey.users"), font: `bold 12px ${FONT}` } },
        ],
        series: [
          {
            type: "sankey",
            top: 24,
            bottom: 10,
            left: 10,
            right: narrow ? 96 : 150,
            nodeAlign: "justify",
            layoutIterations: 32,
            emphasis: { focus: "adjacency" },
            data: nodes.map((x) => ({ name: x.name, depth: x.depth, itemStyle: { color: x.node.colour || this.app.family(x.node.family).colour } })),
            links: links.map((l) => ({ source: l.source, target: l.target, value: l.value })),
            lineStyle: { color: "gradient", opacity: 0.35 },
            label: { formatter: (p) => label(p.name), fontSize: narrow ? 10 : 11, width: narrow ? 90 : 140, overflow: "truncate" },
          },
        ],
      },
      { notMerge: true },
    );
  }
}
