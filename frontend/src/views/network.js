// The main graph: ECharts force layout of the province's sectors. Node diameter ∝ √value
// (area ∝ value) of the chosen indicator; colour by sector family (Okabe-Ito based palette
// of the classification) or by carbon-intensity percentile (viridis); grey = unknown.
// Directed edges = the pruned flows of the province's own block (money or embodied carbon).
import { h } from "../core/dom.js";
import { t, fmt } from "../core/i18n.js";
import { FONT, SEQUENTIAL, MISSING_GREY, ramp } from "../core/charts.js";
import { pruneView, topCount } from "../core/prune.js";
import { escapeHtml, withUnit } from "../core/format.js";
import { ChartBox } from "../core/widgets.js";

const MIN_SIZE = 8;
const MAX_SIZE = 60;

export class NetworkView {
  constructor(app) {
    this.app = app;
    this.key = null;
    this.edges = [];
    this.seq = 0;
  }

  mount(panel) {
    this.box = new ChartBox(this.app, { id: "network", cls: "vc-chart-network", getMeta: () => this.meta() });
    this.legend = h("div", { class: "vc-legend", id: "vc-legend" });
    this.stats = h("p", { class: "vc-stats", id: "vc-net-stats" });
    panel.appendChild(this.box.el);
    this.box.el.insertBefore(h("div", { class: "vc-net-info" }, this.stats, this.legend), this.box.plot);
    window.__vc = Object.assign(window.__vc || {}, {
      app: this.app,
      edges: () => this.edges.map((e) => ({ source: e.source, target: e.target, value: e.value, keptForEmitter: e.keptForEmitter })),
      nodePixel: (code) => this.nodePixel(code),
    });
  }

  meta() {
    const s = this.app.state;
    const ind = this.app.indicator(s.indicator);
    const mode = (this.app.meta.modes || []).find((m) => m.code === s.mode) || {};
    const units = this.app.units();
    return this.app.downloadMeta({
      title: this.title(),
      units: `${t("web.graph.size_by")}: ${ind ? ind.label : s.indicator} [${ind ? units[ind.unit] || ind.unit : ""}]; ${t("web.graph.links")}: ${t(`web.mode.${s.mode}`)} [${units[mode.unit] || mode.unit || ""}]`,
      edges: `top ${s.top} %, keep ${s.keep}`,
    });
  }

  title() {
    const s = this.app.state;
    const ind = this.app.indicator(s.indicator);
    return t("web.graph.title", { region: this.app.regionLabel(s.region), year: s.year, indicator: ind ? ind.label : s.indicator });
  }

  resize() {
    this.box.resize();
  }

  setForce(patch) {
    const chart = this.box.chart;
    if (!chart || chart.isDisposed()) return;
    const force = {};
    if (patch.gravity !== undefined) force.gravity = patch.gravity;
    if (patch.repulsion !== undefined) force.repulsion = patch.repulsion;
    chart.setOption({ series: [{ id: "net", force }] });
  }

  nodePixel(code) {
    const chart = this.box.chart;
    if (!chart) return null;
    const series = chart.getModel().getSeriesByIndex(0);
    if (!series) return null;
    const data = series.getData();
    const idx = data.indexOfName(code);
    if (idx < 0) return null;
    const layout = data.getItemLayout(idx);
    const p = chart.convertToPixel({ seriesIndex: 0 }, layout);
    const rect = this.box.plot.getBoundingClientRect();
    return { x: rect.left + p[0], y: rect.top + p[1] };
  }

  async render(state, view) {
    this.box.setTitle(this.title());
    this.box.ensure();
    this.box.resize();
    const key = [view.key || `${view.dataset}/${view.year}/${view.region}`, view.lang, state.mode, state.top, state.keep, state.indicator, state.colour].join("|");
    if (key === this.key) {
      this.setForce(state);
      this.count();
      return;
    }
    this.key = key;
    const units = this.app.units();
    const ind = this.app.indicator(state.indicator) || { code: state.indicator, label: state.indicator, unit: "" };
    const modeInfo = (this.app.meta.modes || []).find((m) => m.code === state.mode) || { unit: state.mode === "carbon" ? "mt" : "10k_yuan" };
    const S = view.S;
    const links = view.links && view.links[state.mode];
    const hasLinks = !!(links && links.values && links.values.some((v) => v !== null));
    this.edges = hasLinks ? pruneView(view, state.mode, state.top, state.keep) : [];

    // in/out sums of the current mode, from the full block
    const inSum = new Array(S).fill(0);
    const outSum = new Array(S).fill(0);
    if (hasLinks) {
      for (let i = 0; i < S; i++) {
        for (let j = 0; j < S; j++) {
          const v = links.values[i * S + j] || 0;
          outSum[i] += v;
          inSum[j] += v;
        }
      }
    }
    const values = view.nodes.map((n) => {
      const x = n.indicators[state.indicator];
      return x ? x.value : null;
    });
    const vmax = Math.max(0, ...values.filter((v) => v !== null).map(Math.abs));
    const families = (this.app.meta.families || []).map((f) => f.code);
    const missingReason = view.status === "missing" ? view.status_note || t("common.missing_inventory") : t("web.graph.unknown");
    const nodes = view.nodes.map((n, i) => {
      const v = values[i];
      const size = v === null || vmax === 0 ? MIN_SIZE : MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(Math.abs(v) / vmax);
      let colour = n.colour || this.app.family(n.family).colour;
      if (state.colour === "intensity") {
        const q = n.indicators.intensity;
        colour = q && q.value !== null ? ramp(SEQUENTIAL, (q.percentile || 0) / 100) : MISSING_GREY;
      }
      if (v === null) colour = MISSING_GREY;
      const angle = (2 * Math.PI * i) / S;
      return {
        id: n.code,
        name: n.code,
        value: v,
        category: Math.max(0, families.indexOf(n.family)),
        symbolSize: size,
        x: 300 * Math.cos(angle),
        y: 300 * Math.sin(angle),
        itemStyle: { color: colour, borderColor: v === null ? "#888888" : "#ffffff", borderWidth: 1, borderType: v === null ? "dashed" : "solid" },
        label: { formatter: n.short || n.label },
        _node: n,
        _in: hasLinks ? inSum[i] : null,
        _out: hasLinks ? outSum[i] : null,
      };
    });
    const emax = Math.max(0, ...this.edges.map((e) => e.value));
    const graphLinks = this.edges.map((e) => ({
      source: e.source,
      target: e.target,
      value: e.value,
      lineStyle: {
        width: emax > 0 ? 0.6 + 5.4 * Math.sqrt(e.value / emax) : 1,
        type: e.keptForEmitter ? "dashed" : "solid",
        curveness: e.source === e.target ? 0.8 : 0.18,
      },
      _edge: e,
    }));
    const n = topCount(state.top, S);
    this.statsText = t("web.graph.stats", {
      shown: this.edges.length,
      n,
      cells: S * S,
      top: state.top,
      kept: this.edges.filter((e) => e.keptForEmitter).length,
    });
    this.stats.textContent = hasLinks ? this.statsText : t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
    this.renderLegend(state, ind, units);

    const tooltip = (p) => {
      if (p.dataType === "edge") {
        const e = p.data._edge;
        const src = view.nodes[e.i];
        const dst = view.nodes[e.j];
        return [
          `<b>${escapeHtml(src.short || src.label)} → ${escapeHtml(dst.short || dst.label)}</b>`,
          `${escapeHtml(t(`web.mode.${state.mode}`))}: ${escapeHtml(withUnit(e.value, modeInfo.unit, units))}`,
          `${escapeHtml(t("web.rank"))}: ${e.rank + 1} / ${S * S}`,
          e.keptForEmitter ? `<i>${escapeHtml(t("web.graph.kept"))}</i>` : "",
        ].join("<br>");
      }
      const d = p.data;
      const node = d._node;
      const rows = [`<b>${escapeHtml(node.label)}</b> <span class="vc-tip-code">(${escapeHtml(node.code)})</span>`, `<span class="vc-tip-fam">${escapeHtml(this.app.family(node.family).label)}</span>`];
      const line = (label, value, unit) => rows.push(`${escapeHtml(label)}: <b>${escapeHtml(withUnit(value, unit, units))}</b>`);
      for (const code of ["output", "co2", "intensity", "value_added", "imports", "exports", "final_use"]) {
        const info = this.app.indicator(code);
        const x = node.indicators[code];
        if (!info || !x) continue;
        line(info.label, x.value, info.unit);
      }
      line(t("web.graph.in_sum", { mode: t(`web.mode.${state.mode}`) }), d._in, modeInfo.unit);
      line(t("web.graph.out_sum", { mode: t(`web.mode.${state.mode}`) }), d._out, modeInfo.unit);
      const x = node.indicators[state.indicator];
      if (x && x.value !== null && !["output", "co2", "intensity", "value_added", "imports", "exports", "final_use"].includes(state.indicator)) {
        line(ind.label, x.value, ind.unit);
      }
      if (x && x.rank !== null && x.rank !== undefined) {
        rows.push(`${escapeHtml(t("web.rank"))} (${escapeHtml(ind.label)}): ${x.rank} / ${S} · ${escapeHtml(t("web.percentile"))} ${fmt(x.percentile, 3)}`);
      }
      if (d.value === null) rows.push(`<i class="vc-tip-missing">${escapeHtml(missingReason)}</i>`);
      return `<div class="vc-tip">${rows.join("<br>")}</div>`;
    };

    const option = {
      animationDurationUpdate: 300,
      textStyle: { fontFamily: FONT },
      tooltip: { trigger: "item", confine: true, enterable: false, className: "vc-tooltip", formatter: tooltip },
      legend:
        state.colour === "family"
          ? [{ data: (this.app.meta.families || []).map((f) => f.label), orient: "vertical", left: 4, top: 4, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: 11 } }]
          : [],
      series: [
        {
          id: "net",
          type: "graph",
          layout: "force",
          roam: true,
          draggable: true,
          scaleLimit: { min: 0.2, max: 6 },
          categories: (this.app.meta.families || []).map((f) => ({ name: f.label, itemStyle: { color: f.colour } })),
          data: nodes,
          links: graphLinks,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: [0, 7],
          force: { gravity: state.gravity, repulsion: state.repulsion, edgeLength: [40, 160], friction: 0.2, layoutAnimation: true },
          label: { show: true, position: "right", fontSize: 10, color: "#222", fontFamily: FONT },
          labelLayout: { hideOverlap: true },
          lineStyle: { color: "source", opacity: 0.55 },
          emphasis: { focus: "adjacency", label: { show: true, fontWeight: "bold" }, lineStyle: { opacity: 0.95 } },
          blur: { itemStyle: { opacity: 0.15 }, lineStyle: { opacity: 0.05 } },
        },
      ],
    };
    const seq = ++this.seq;
    this.box.set(option);
    // "graph drawn" = the chart's 'finished' event: every node and link drawn at its first
    // layout position (the force layout then keeps moving them; under automation there is no
    // entrance animation, see charts.ANIMATE)
    await this.box.whenFinished();
    if (seq === this.seq) this.count();
  }

  count() {
    window.__vcRendered = (window.__vcRendered || 0) + 1;
    window.__vcRenderedAt = performance.now();
    document.dispatchEvent(new CustomEvent("vc:rendered", { detail: { count: window.__vcRendered } }));
  }

  renderLegend(state, ind, units) {
    const legend = this.legend;
    legend.textContent = "";
    legend.appendChild(h("span", null, t("web.graph.size_note", { indicator: ind.label, unit: units[ind.unit] || ind.unit || "" })));
    if (state.colour === "intensity") {
      const stops = SEQUENTIAL.map((c, i) => `${c} ${Math.round((100 * i) / (SEQUENTIAL.length - 1))}%`).join(",");
      legend.appendChild(
        h("span", { class: "vc-ramp" }, t("web.colour.low"), h("i", { style: `background:linear-gradient(90deg,${stops})` }), t("web.colour.high"),
          h("small", null, t("web.colour.intensity_note"))),
      );
    }
    legend.appendChild(h("span", { class: "vc-missing-key" }, h("i", null), t("web.graph.grey")));
  }
}
