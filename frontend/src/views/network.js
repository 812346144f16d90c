// The Network tab: the province's sectors as a force-directed graph. Node area ∝ the chosen
// indicator (diameter ∝ √value); colour by sector family or by carbon-intensity percentile;
// grey = unknown. Directed edges = the pruned flows of the province's own block (money or
// embodied carbon; core/prune.js). The force layout is computed to rest before it is drawn
// (core/forcelayout.js), then every label is placed so that none runs into another or hides
// under a node: small nodes' labels go first, the top emitters always keep theirs
// (core/labels.js). "Fit" resets zoom and pan, "Reset layout" lays the graph out afresh.
import { h } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { FONT, SEQUENTIAL, MISSING_GREY, ramp, textWidth } from "../core/charts.js";
import { pruneView, topCount } from "../core/prune.js";
import { escapeHtml, numHtml, fmtCount, tag, countHtml, htmlText } from "../core/format.js";
import { forceLayout, circle } from "../core/forcelayout.js";
import { placeLabels } from "../core/labels.js";
import { ChartBox } from "../core/widgets.js";

const MIN_SIZE = 8;
const LABEL_GAP = 3;

/** ECharts label placement for a side chosen by core/labels.js (the offset of the label's
 * anchor from the top-left of the node's box, with its alignment). */
function labelAt(side, size) {
  const c = size / 2;
  const r = c + LABEL_GAP;
  const d = r * Math.SQRT1_2;
  const at = {
    right: [c + r, c, "left", "middle"],
    left: [c - r, c, "right", "middle"],
    bottom: [c, c + r, "center", "top"],
    top: [c, c - r, "center", "bottom"],
    bottomRight: [c + d, c + d, "left", "top"],
    topRight: [c + d, c - d, "left", "bottom"],
    bottomLeft: [c - d, c + d, "right", "top"],
    topLeft: [c - d, c - d, "right", "bottom"],
  }[side] || [c + r, c, "left", "middle"];
  return { position: [at[0], at[1]], align: at[2], verticalAlign: at[3] };
}
const LABEL_FONT = 11;
const LEGEND_H = 30; // the family legend under the graph
const TIP = ["output", "co2", "intensity", "value_added", "imports", "exports", "final_use"];


export class NetworkView {
  constructor(app) {
    this.app = app;
    this.key = null;
    this.edges = [];
    this.positions = null;
    this.layoutKey = null;
    this.layouts = new Map(); // layoutKey → positions
    this.force = {};
    this.placed = [];
  }

  mount(panel) {
    this.fit = h("button", { type: "button", class: "vc-tool", id: "vc-net-fit", title: t("web.graph.fit_hint"), onclick: () => this.draw() }, t("web.graph.fit"));
    this.reset = h("button", { type: "button", class: "vc-tool", id: "vc-net-reset", title: t("web.graph.reset_hint"), onclick: () => this.resetLayout() }, t("web.graph.reset"));
    this.box = new ChartBox(this.app, { id: "network", cls: "vc-chart-network", getMeta: () => this.meta(), tools: [this.fit, this.reset] });
    this.legend = h("div", { class: "vc-legend", id: "vc-legend" });
    this.stats = h("p", { class: "vc-stats", id: "vc-net-stats" });
    panel.appendChild(this.box.el);
    this.box.el.insertBefore(h("div", { class: "vc-net-info" }, this.stats, this.legend), this.box.plot);
    window.__vc = Object.assign(window.__vc || {}, {
      app: this.app,
      edges: () => this.edges.map((e) => ({ source: e.source, target: e.target, value: e.value, keptForEmitter: e.keptForEmitter })),
      nodePixel: (code) => this.nodePixel(code),
      labels: () => this.placed.map((p) => ({ ...p })),
    });
  }

  meta() {
    const s = this.app.state;
    const ind = this.app.indicator(s.indicator);
    const units = this.app.units();
    const modeUnit = this.app.modeUnit(s.mode);
    return this.app.downloadMeta({
      title: this.title(),
      units: `${t("web.graph.size_by")}: ${ind ? ind.label : s.indicator} [${ind ? units[ind.unit] || ind.unit : ""}]; ${t("web.graph.links")}: ${t(`web.mode.${s.mode}`)} [${units[modeUnit] || modeUnit}]`,
      legend_note: [this.statsText, s.mode === "carbon" ? t("web.graph.embodied_note") : ""].filter(Boolean).join(this.app.lang === "zh-Hans" ? "；" : "; "),
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
    if (this.model) this.relabel();
  }

  /** The gravity / repulsion sliders: lay the graph out again from where it stands. */
  setForce(patch) {
    if (!this.model) return;
    this.force = Object.assign({}, this.force, patch);
    this.positions = this.layout(this.positions);
    this.layoutKey = [...this.layoutKey.split("|").slice(0, 4), this.force.gravity, this.force.repulsion].join("|");
    this.draw();
  }

  resetLayout() {
    if (!this.model) return;
    this.positions = this.layout(null);
    this.draw();
  }

  layout(from) {
    const start = from ? from.map(([x, y]) => ({ x, y })) : circle(this.model.nodes.length);
    return forceLayout(start, this.model.layoutEdges, { gravity: this.force.gravity, repulsion: this.force.repulsion, edgeLength: [40, 160], friction: 0.2 });
  }

  nodePixel(code) {
    const chart = this.box.chart;
    if (!chart || !this.model) return null;
    const k = this.model.nodes.findIndex((n) => n.id === code);
    if (k < 0) return null;
    const p = chart.convertToPixel({ seriesIndex: 0 }, this.positions[k]);
    const rect = this.box.plot.getBoundingClientRect();
    return { x: rect.left + p[0], y: rect.top + p[1] };
  }

  async render(state, view) {
    this.box.setTitle(this.title());
    this.box.ensure();
    this.box.resize();
    const key = [view.key || `${view.dataset}/${view.year}/${view.region}`, view.lang, state.mode, state.top, state.keep, state.indicator, state.colour, state.co2].join("|");
    const forceSame = this.force.gravity === state.gravity && this.force.repulsion === state.repulsion;
    if (key === this.key && forceSame) {
      this.count();
      return;
    }
    this.key = key;
    this.force = { gravity: state.gravity, repulsion: state.repulsion };
    this.model = this.build(state, view);
    // the layout depends on the links and the forces only; layouts already computed are kept
    // (with any node the user dragged) for the province-years and link settings seen before
    const layoutKey = [view.key, state.mode, state.top, state.keep, state.gravity, state.repulsion].join("|");
    if (this.layoutKey && this.positions) this.layouts.set(this.layoutKey, this.positions);
    if (layoutKey !== this.layoutKey || !this.positions) {
      const sameLinks = this.layoutKey && this.layoutKey.split("|").slice(0, 4).join("|") === layoutKey.split("|").slice(0, 4).join("|");
      this.positions = this.layouts.get(layoutKey) || this.layout(sameLinks ? this.positions : null);
      this.layoutKey = layoutKey;
      if (this.layouts.size > 60) this.layouts.delete(this.layouts.keys().next().value);
    }
    performance.mark("vc:layout");
    this.draw();
    performance.mark("vc:draw");
    // "graph drawn" = the chart's 'finished' event (at rest: the layout was computed first)
    await this.box.whenFinished();
    this.count();
  }

  /** Nodes, links and texts of the view for the current state (no positions). */
  build(state, view) {
    const app = this.app;
    const units = app.units();
    const ind = app.indicator(state.indicator) || { code: state.indicator, label: state.indicator, unit: "" };
    const modeUnit = app.modeUnit(state.mode);
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
    // the largest node: 60 px on a desktop, less on a phone so that the graph still breathes
    const MAX_SIZE = Math.max(28, Math.min(60, (this.box.plot.clientWidth || 900) / 16));
    const families = (app.meta.families || []).map((f) => f.code);
    // always labelled: the top emitters (CO2 rank ≤ max(3, k)) and the 3 largest nodes
    const keepLabels = Math.max(3, state.keep || 0);
    const bySize = values.map((v, i) => [v === null ? -Infinity : Math.abs(v), i]).sort((a, b) => b[0] - a[0]).slice(0, 3).map((x) => x[1]);
    const nodes = view.nodes.map((n, i) => {
      const v = values[i];
      const size = v === null || vmax === 0 ? MIN_SIZE : MIN_SIZE + (MAX_SIZE - MIN_SIZE) * Math.sqrt(Math.abs(v) / vmax);
      let colour = n.colour || app.family(n.family).colour;
      if (state.colour === "intensity") {
        const q = n.indicators.intensity;
        colour = q && q.value !== null ? ramp(SEQUENTIAL, (q.percentile || 0) / 100) : MISSING_GREY;
      }
      if (v === null) colour = MISSING_GREY;
      const always = (n.emitter_rank !== null && n.emitter_rank !== undefined && n.emitter_rank <= keepLabels) || bySize.includes(i);
      return {
        id: n.code,
        name: n.code,
        value: v,
        category: Math.max(0, families.indexOf(n.family)),
        symbolSize: size,
        itemStyle: { color: colour, borderColor: v === null ? "#888888" : "#ffffff", borderWidth: 1, borderType: v === null ? "dashed" : "solid" },
        text: n.short || n.label,
        always,
        _node: n,
        _in: hasLinks ? inSum[i] : null,
        _out: hasLinks ? outSum[i] : null,
      };
    });
    const index = new Map(nodes.map((d, i) => [d.id, i]));
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
    const kept = this.edges.filter((e) => e.keptForEmitter).length;
    const stats = { shown: this.edges.length, n, cells: fmtCount(S * S), top: state.top, kept };
    // "plus 0 kept" is never said: k = 0 asks for nothing, and k > 0 with nothing to add says so
    const statsKey = state.keep > 0 ? (kept > 0 ? "web.graph.stats_kept" : "web.graph.stats_linked") : "web.graph.stats";
    stats.k = state.keep;
    this.statsText = t(statsKey, stats);
    if (hasLinks) {
      this.stats.innerHTML = htmlText(statsKey, {}, {
        shown: countHtml(this.edges.length), n: countHtml(n), cells: countHtml(S * S), top: tag(String(state.top), "pct"), kept: countHtml(kept), k: countHtml(state.keep),
      });
    } else this.stats.textContent = t("web.graph.no_links", { mode: t(`web.mode.${state.mode}`) });
    this.renderLegend(state, ind, units);

    const missingReason = view.status === "missing" ? view.status_note || t("common.missing_inventory") : t("web.graph.unknown");
    const modeName = t(`web.mode.${state.mode}`);
    const tooltip = (p) => {
      if (p.dataType === "edge") {
        const e = p.data._edge;
        const src = view.nodes[e.i];
        const dst = view.nodes[e.j];
        return [
          `<b>${escapeHtml(src.short || src.label)} → ${escapeHtml(dst.short || dst.label)}</b>`,
          `${escapeHtml(modeName)}: <b>${numHtml(e.value, modeUnit)}</b>`,
          `${escapeHtml(t("web.rank"))}: ${tag(fmtCount(e.rank + 1), "rank")} / ${tag(fmtCount(S * S), "count")}`,
          e.keptForEmitter ? `<i>${escapeHtml(t("web.graph.kept"))}</i>` : "",
          state.mode === "carbon" ? `<i>${escapeHtml(t("web.graph.embodied_note"))}</i>` : "",
        ].filter(Boolean).join("<br>");
      }
      const d = p.data;
      const node = d._node;
      const rows = [`<b>${escapeHtml(node.label)}</b> <span class="vc-tip-code">(${escapeHtml(node.code)})</span>`, `<span class="vc-tip-fam">${escapeHtml(app.family(node.family).label)}</span>`];
      const line = (label, value, unit) => rows.push(`${escapeHtml(label)}: <b>${numHtml(value, unit)}</b>`);
      for (const code of TIP) {
        const info = app.indicator(code);
        const x = node.indicators[code];
        if (!info || !x) continue;
        line(info.label, x.value, info.unit);
      }
      line(t("web.graph.in_sum", { mode: modeName }), d._in, modeUnit);
      line(t("web.graph.out_sum", { mode: modeName }), d._out, modeUnit);
      const x = node.indicators[state.indicator];
      if (x && x.value !== null && !TIP.includes(state.indicator)) line(ind.label, x.value, ind.unit);
      if (x && x.rank !== null && x.rank !== undefined) {
        rows.push(`${escapeHtml(t("web.rank"))} (${escapeHtml(ind.label)}): ${tag(String(x.rank), "rank")} / ${tag(String(S), "count")} · ${escapeHtml(t("web.percentile"))} ${tag(String(Math.round(x.percentile)), "percentile")}`);
      }
      if (d.value === null) rows.push(`<i class="vc-tip-missing">${escapeHtml(missingReason)}</i>`);
      return `<div class="vc-tip">${rows.join("<br>")}</div>`;
    };
    return {
      nodes,
      links: graphLinks,
      index,
      layoutEdges: this.edges.map((e) => ({ source: index.get(e.source), target: index.get(e.target), value: e.value })),
      tooltip,
      legend: state.colour === "family",
    };
  }

  option(labels) {
    const m = this.model;
    const families = this.app.meta.families || [];
    const narrow = this.box.plot.clientWidth < 520;
    return {
      animationDuration: 300, // a short entrance for people (none under automation, see ANIMATE)
      animationDurationUpdate: 300,
      tooltip: { trigger: "item", enterable: false, formatter: m.tooltip },
      legend: m.legend
        ? [{ type: "scroll", data: families.map((f) => f.label), orient: "horizontal", left: 4, right: 4, bottom: 2, itemWidth: 12, itemHeight: 12, textStyle: { fontSize: narrow ? 10 : 11 } }]
        : [],
      series: [
        {
          id: "net",
          type: "graph",
          layout: "none",
          roam: true,
          draggable: true,
          nodeScaleRatio: 0, // nodes and labels keep their size in pixels when zoomed
          scaleLimit: { min: 0.2, max: 8 },
          ...this.margins(),
          categories: families.map((f) => ({ name: f.label, itemStyle: { color: f.colour } })),
          data: m.nodes.map((d, i) => ({
            id: d.id,
            name: d.name,
            value: d.value,
            category: d.category,
            symbolSize: d.symbolSize,
            itemStyle: d.itemStyle,
            x: this.positions[i][0],
            y: this.positions[i][1],
            label: labels ? Object.assign({ show: labels[i].show }, labelAt(labels[i].side, d.symbolSize)) : { show: false },
            emphasis: { label: { show: true } },
            _node: d._node,
            _in: d._in,
            _out: d._out,
          })),
          links: m.links,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: [0, 7],
          label: {
            show: true,
            position: "right",
            distance: LABEL_GAP,
            fontSize: LABEL_FONT,
            color: "#1d232a",
            fontFamily: FONT,
            textBorderColor: "rgba(255,255,255,0.9)",
            textBorderWidth: 2,
            formatter: (p) => (p.data._node ? p.data._node.short || p.data._node.label : p.name),
          },
          lineStyle: { color: "source", opacity: 0.55 },
          emphasis: { focus: "adjacency", label: { show: true, fontWeight: "bold" }, lineStyle: { opacity: 0.95 } },
          blur: { itemStyle: { opacity: 0.15 }, lineStyle: { opacity: 0.05 }, label: { opacity: 0.25 } },
        },
      ],
    };
  }

  /** The box of the graph inside the chart: ECharts maps the nodes' bounding box onto it. */
  margins() {
    return { left: 16, right: 16, top: 16, bottom: (this.model && this.model.legend ? LEGEND_H : 0) + 16 };
  }

  /** Draw at the current positions (zoom and pan reset: this is also "Fit"), the labels
   * already placed: with zoom 1 the node → pixel map is known (the bounding box of the nodes
   * stretched onto the graph's box), so one render does it. */
  draw() {
    const chart = this.box.ensure();
    const W = chart.getWidth();
    const H = chart.getHeight();
    const m = this.margins();
    const xs = this.positions.map((p) => p[0]);
    const ys = this.positions.map((p) => p[1]);
    let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
    if (y1 === y0) [y0, y1] = [y0 - 1, y1 + 1];
    const sx = (W - m.left - m.right) / (x1 - x0);
    const sy = (H - m.top - m.bottom) / (y1 - y0);
    const labels = this.place((p) => [m.left + (p[0] - x0) * sx, m.top + (p[1] - y0) * sy]);
    this.box.set(this.option(labels), { notMerge: true });
    if (!this.boundRoam) {
      this.boundRoam = true;
      let timer = null;
      const later = () => {
        clearTimeout(timer);
        timer = setTimeout(() => this.relabel(), 120);
      };
      chart.on("graphroam", later);
      // a dragged node: keep where it was put, then place the labels again
      chart.getZr().on("mouseup", () => {
        if (!this.model) return;
        const series = chart.getModel().getSeriesByIndex(0);
        if (!series) return;
        const data = series.getData();
        let moved = false;
        this.positions = this.positions.map((p, i) => {
          const q = data.getItemLayout(i);
          if (q && (q[0] !== p[0] || q[1] !== p[1])) moved = true;
          return q ? [q[0], q[1]] : p;
        });
        if (moved) later();
      });
    }
  }

  /** Label placement for node pixels given by `toPixel(position)`. */
  place(toPixel) {
    const chart = this.box.chart;
    const W = chart.getWidth();
    const H = chart.getHeight();
    const items = this.model.nodes.map((d, i) => {
      const p = toPixel(this.positions[i]);
      return { x: p[0], y: p[1], r: d.symbolSize / 2, w: textWidth(d.text, LABEL_FONT) + 2, h: LABEL_FONT + 3, priority: d.symbolSize, always: d.always };
    });
    const bottom = H - (this.model.legend ? LEGEND_H : 0) - 2;
    const out = placeLabels(items, { x0: 2, y0: 2, x1: W - 2, y1: bottom }, { gap: LABEL_GAP });
    this.placed = out.map((o, i) => ({ code: this.model.nodes[i].id, show: o.show, side: o.side, rect: o.rect, always: this.model.nodes[i].always }));
    return out;
  }

  /** Place the labels for the picture as it stands (after a zoom, a drag, a resize). */
  relabel() {
    const chart = this.box.chart;
    if (!chart || chart.isDisposed() || !this.model) return;
    if (!chart.getWidth() || !chart.getHeight()) return;
    const out = this.place((p) => chart.convertToPixel({ seriesIndex: 0 }, p));
    this.box.pending = true;
    chart.setOption({ series: [{ id: "net", data: this.option(out).series[0].data }] });
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
    if (state.mode === "carbon") legend.appendChild(h("span", { class: "vc-embodied-key", id: "vc-embodied-note" }, t("web.graph.embodied_note")));
  }
}
