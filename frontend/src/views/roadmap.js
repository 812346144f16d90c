// The Roadmap tab (/api/roadmap): a province's CO2 pathways to 2060 under a scenario — the
// fan chart (history, baseline, scenario production- and consumption-based, net of Carbon
// Removal, the removal itself, the sector targets of secda, target markers and the Monte
// Carlo band when the payload has one), the wedges of the levers, the targets met or missed,
// the secda sector table, the lever ranking, the partners of the key emitters, the chains
// shared with the largest partner and the assistant. The lever sliders re-POST the scenario
// with levers added (debounced; a newer move aborts the request in flight) and redraw the
// pathway first ("core"), the insights after.
import { h, clear, option } from "../core/dom.js";
import { t, currentLang, zhPunct } from "../core/i18n.js";
import { escapeHtml, numHtml, columnScale, axisFormatter, number, tag, shareHtml, htmlText } from "../core/format.js";
import { ChartBox, TableBox } from "../core/widgets.js";
import { OKABE_ITO } from "../core/charts.js";
import { stateToQuery } from "../core/state.js";

const DEBOUNCE_MS = 60; // slider → request
const INSIGHTS_MS = 350; // the slower insights wait until the slider rests
const COLOURS = {
  history: "#000000",
  baseline: "#7f7f7f",
  scenario: "#0072B2",
  cba: "#56B4E9",
  net: "#D55E00",
  removal: "#CC79A7",
  secda: "#009E73",
  band: "#0072B2",
  met: "#009E73",
  missed: "#D55E00",
};
const ANCHORS = { pathway: "rm-pathway", wedges: "rm-wedges", targets: "rm-targets", sectors: "rm-sectors", levers: "rm-levers", partners: "rm-partners", chains: "rm-chains" };
// a number in an assistant sentence ("556.9", "1,234.5", "52")
// (Latin letters only around it: "CO2" is no number, "排放556.9百万吨" holds one)
const SENTENCE_NUM = /(?<![A-Za-z\d.,])\d{1,3}(?:,\d{3})*(?:\.\d+)?(?![A-Za-z\d])|(?<![A-Za-z\d.,])\d+(?:\.\d+)?(?![A-Za-z\d])/gu;

/** A numeric column whose header names its unit as a tagged span ("Target 2030 [t CO2 per ¥10,000]"). */
function numCol(box, field, title, spec) {
  const head = spec.label ? htmlText("web.col.with_unit", { title }, { unit: tag(spec.label, spec.code) }) : escapeHtml(title);
  return box.numColumn(field, head, spec, { bare: true });
}

/** A table height that shows `n` rows (at most `max`) under a header of two lines. */
function fitHeight(n, max) {
  return `${Math.min(Math.max(n, 1), max) * 28 + 64}px`;
}

/** The levers of the sliders' positions for the province shown (a slider at 0 adds no lever). */
export function sliderLevers(sliders, values, region) {
  const out = [];
  for (const [name, spec] of Object.entries(sliders || {})) {
    const v = Number(values[name] || 0);
    if (!v) continue;
    out.push(Object.assign({ kind: spec.kind, region }, spec.fixed, { [spec.field]: spec.sign === -1 ? -v : v }));
  }
  return out;
}

/** The text of a slider position, by the one formatter (tagged HTML). */
function sliderHtml(name, value, sign = 1) {
  if (name === "power" || name === "electrification") return shareHtml(value, 0);
  // a rate per year: "-2.0 %" a year
  return tag(t("web.unit.pct.value", { v: number(sign * value * 100, 1, { signed: true }) }), "change_pct");
}

/** An assistant sentence as HTML: every number re-written by the formatter, tagged with its
 * unit and linked to the chart or table it comes from. */
export function sentenceHtml(text, link) {
  const src = currentLang() === "zh-Hans" ? zhPunct(text) : text;
  let out = "";
  let last = 0;
  for (const m of src.matchAll(SENTENCE_NUM)) {
    const s = m[0];
    const after = src.slice(m.index + s.length, m.index + s.length + 2);
    out += escapeHtml(src.slice(last, m.index));
    last = m.index + s.length;
    const plainInt = /^\d+$/.test(s);
    if (plainInt && !/^\s?%/.test(after)) {
      out += escapeHtml(s); // a year, a rank, a count
      continue;
    }
    const decimals = (s.split(".")[1] || "").length;
    const value = Number(s.replace(/,/g, ""));
    const code = /^\s?%/.test(after) ? "pct" : "mt";
    out += `<a class="vc-rm-fig" href="#${escapeHtml(link)}" data-link="${escapeHtml(link)}">${tag(number(value, decimals), code)}</a>`;
  }
  out += escapeHtml(src.slice(last));
  return out;
}

export class RoadmapView {
  constructor(app) {
    this.app = app;
    this.values = { power: 0, industry: 0, demand: 0, electrification: 0 };
    this.core = null;
    this.insights = null;
    this.abort = null;
    this.bandAbort = null;
    this.insightsAbort = null;
    this.timer = null;
    this.insightsTimer = null;
    this.seq = 0;
    window.__vcRoadmapDrawn = 0;
  }

  mount(panel) {
    this.panel = panel;
    this.scenario = h("select", { id: "vc-rm-scenario", onchange: () => this.onScenario() });
    this.scenarioNote = h("small", { class: "vc-rm-desc", id: "vc-rm-desc" });
    this.sliderBox = h("div", { class: "vc-rm-sliders", id: "vc-rm-sliders" });
    this.reset = h("button", { type: "button", id: "vc-rm-reset", class: "vc-rm-reset", onclick: () => this.resetSliders() }, t("web.roadmap.sliders.reset"));
    this.staticNote = h("p", { class: "vc-notice vc-info", id: "vc-rm-static", hidden: true }, t("web.roadmap.static"));
    this.controls = h(
      "div",
      { class: "vc-rm-controls" },
      h("label", { class: "vc-inline" }, t("web.roadmap.scenario"), this.scenario),
      this.scenarioNote,
      h("details", { class: "vc-rm-levers", id: "vc-rm-levers", open: true },
        h("summary", null, t("web.roadmap.sliders.title")),
        h("p", { class: "vc-box-note" }, t("web.roadmap.sliders.note")),
        this.sliderBox,
        this.reset),
    );
    this.pathway = new ChartBox(this.app, { id: "roadmap-pathway", cls: "vc-rm-chart", getMeta: () => this.meta() });
    this.pathway.el.id = ANCHORS.pathway;
    this.wedges = new ChartBox(this.app, { id: "roadmap-wedges", cls: "vc-rm-chart-small", getMeta: () => this.meta() });
    this.wedges.el.id = ANCHORS.wedges;
    this.targets = new TableBox(this.app, { id: "roadmap-targets", search: false, getMeta: () => this.meta() });
    this.targets.el.id = ANCHORS.targets;
    this.sectors = new TableBox(this.app, { id: "roadmap-sectors", getMeta: () => this.meta() });
    this.sectors.el.id = ANCHORS.sectors;
    this.sectorsNote = h("p", { class: "vc-box-note" });
    this.sectors.el.appendChild(this.sectorsNote);
    this.levers = new TableBox(this.app, { id: "roadmap-levers", search: false, getMeta: () => this.meta() });
    this.levers.el.id = ANCHORS.levers;
    this.leversNote = h("p", { class: "vc-box-note" }, t("web.roadmap.levers.note"));
    this.levers.el.appendChild(this.leversNote);
    this.partners = new TableBox(this.app, { id: "roadmap-partners", getMeta: () => this.meta() });
    this.partners.el.id = ANCHORS.partners;
    this.partners.el.appendChild(h("p", { class: "vc-box-note" }, t("web.roadmap.partners.note")));
    this.chains = new TableBox(this.app, { id: "roadmap-chains", search: false, getMeta: () => this.meta() });
    this.chains.el.id = ANCHORS.chains;
    this.chainsNote = h("p", { class: "vc-box-note" });
    this.chains.el.appendChild(this.chainsNote);
    this.question = h("select", { id: "vc-rm-question", onchange: () => this.showAnswer() });
    this.answer = h("ol", { class: "vc-rm-answer", id: "vc-rm-answer" });
    this.assistant = h(
      "div",
      { class: "vc-box vc-rm-assistant", id: "vc-rm-assistant", "data-box": "roadmap-assistant" },
      h("div", { class: "vc-box-head" }, h("h3", { class: "vc-box-title" }, t("web.roadmap.assistant.title"))),
      h("label", { class: "vc-inline" }, t("web.roadmap.assistant.question"), this.question),
      this.answer,
      h("p", { class: "vc-box-note" }, t("web.roadmap.assistant.note")),
    );
    this.answer.addEventListener("click", (e) => {
      const a = e.target.closest("a[data-link]");
      if (!a) return;
      e.preventDefault();
      this.flash(a.dataset.link);
    });
    // graph first: the pathway, then the levers that move it, then the rest
    const grid = h("div", { class: "vc-rm-grid" },
      h("div", { class: "vc-rm-main" }, this.pathway.el, this.controls),
      h("div", { class: "vc-rm-side" }, this.assistant, this.wedges.el));
    panel.appendChild(this.staticNote);
    panel.appendChild(grid);
    for (const box of [this.targets, this.sectors, this.levers, this.partners, this.chains]) panel.appendChild(box.el);
  }

  meta() {
    const c = this.core;
    return this.app.downloadMeta({
      title: this.pathway.heading.textContent,
      scenario: c ? c.scenario.title : "",
      units: this.app.units().mt || "Mt CO2",
      years: c ? `${c.years[0]}-${c.years[c.years.length - 1]}` : "",
    });
  }

  resize() {
    this.pathway.resize();
    this.wedges.resize();
    for (const b of [this.targets, this.sectors, this.levers, this.partners, this.chains]) b.redraw();
  }

  flash(id) {
    const el = document.getElementById(id);
    if (!el) return;
    el.scrollIntoView({ block: "start", behavior: "auto" });
    el.classList.add("vc-rm-flash");
    setTimeout(() => el.classList.remove("vc-rm-flash"), 1200);
  }

  // ---------- data ----------
  params() {
    const s = this.app.state;
    return { dataset: s.dataset, region: s.region, scenario: this.picked || "baseline" };
  }

  edited() {
    return Object.values(this.values).some((v) => Number(v) !== 0);
  }

  /** POST /api/roadmap with the sliders' levers (aborts the previous request of the same part). */
  async post(parts, signal) {
    const body = Object.assign(this.params(), { levers: sliderLevers(this.core ? this.core.sliders : {}, this.values, this.app.state.region), parts, lang: this.app.lang });
    const res = await fetch(`${this.app.src.apiBase}/roadmap`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      signal,
    });
    const out = await res.json().catch(() => null);
    if (!res.ok) throw new Error((out && out.error) || `HTTP ${res.status}`);
    return out;
  }

  load(parts, signal) {
    if (this.edited()) return this.post(parts, signal);
    return this.app.src.get("roadmap", Object.assign(this.params(), { parts }));
  }

  async render(state) {
    const isStatic = this.app.boot.mode === "static";
    this.staticNote.hidden = !isStatic;
    for (const el of this.panel.children) if (el !== this.staticNote) el.hidden = isStatic;
    if (isStatic) return;
    this.picked = state.scenario || "baseline";
    let core;
    let insights;
    try {
      [core, insights] = await Promise.all([this.load("core"), this.load("insights")]);
    } catch (e) {
      if (!(e.status === 400 && e.payload && e.payload.param === "scenario") || this.picked === "baseline") throw e;
      // an unknown scenario in the link: say so, show the baseline
      this.app.error(e.message);
      this.picked = state.scenario = "baseline";
      history.replaceState(null, "", `?${stateToQuery(state, this.app.meta)}`);
      [core, insights] = await Promise.all([this.load("core"), this.load("insights")]);
    }
    if (state !== this.app.state) return;
    this.fillScenarios(core);
    this.buildSliders(core);
    this.drawCore(core);
    this.drawInsights(insights);
    this.redrawBand(this.seq, core);
  }

  fillScenarios(core) {
    const picked = this.picked;
    clear(this.scenario);
    for (const s of core.scenarios) this.scenario.appendChild(option(s.id, s.title, s.id === picked));
    const sc = core.scenarios.find((s) => s.id === picked);
    this.scenarioNote.textContent = sc ? sc.description : "";
  }

  buildSliders(core) {
    if (this.sliderBox.childElementCount) return;
    for (const [name, spec] of Object.entries(core.sliders)) {
      const out = h("output", { class: "vc-rm-value", id: `vc-rm-value-${name}` });
      out.innerHTML = sliderHtml(name, this.values[name], spec.sign || 1);
      const input = h("input", {
        type: "range",
        id: `vc-rm-${name}`,
        min: String(spec.min),
        max: String(spec.max),
        step: String(spec.step),
        value: String(this.values[name]),
        "aria-label": t(`web.roadmap.slider.${name}`),
        oninput: (e) => this.onSlider(name, Number(e.target.value)),
      });
      this.sliderBox.appendChild(h("label", { class: "vc-rm-slider" }, h("span", { class: "vc-rm-slider-label" }, t(`web.roadmap.slider.${name}`)), input, out));
    }
  }

  onSlider(name, value) {
    this.values[name] = value;
    document.getElementById(`vc-rm-value-${name}`).innerHTML = sliderHtml(name, value, this.signOf(name));
    window.__vcRoadmapInput = performance.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.redraw(), DEBOUNCE_MS);
  }

  signOf(name) {
    const spec = this.core && this.core.sliders[name];
    return (spec && spec.sign) || 1;
  }

  resetSliders() {
    for (const name of Object.keys(this.values)) {
      this.values[name] = 0;
      const input = document.getElementById(`vc-rm-${name}`);
      if (input) input.value = "0";
      const out = document.getElementById(`vc-rm-value-${name}`);
      if (out) out.innerHTML = sliderHtml(name, 0, this.signOf(name));
    }
    this.redraw();
  }

  onScenario() {
    // the scenario goes into the link (shareable), the pathway is redrawn at once
    this.picked = this.scenario.value;
    this.app.state.scenario = this.picked;
    history.replaceState(null, "", `?${stateToQuery(this.app.state, this.app.meta)}`);
    const sc = this.core && this.core.scenarios.find((s) => s.id === this.scenario.value);
    this.scenarioNote.textContent = sc ? sc.description : "";
    this.redraw();
  }

  /** The sliders or the scenario moved: the pathway first, the insights once they rest. */
  async redraw() {
    if (this.abort) this.abort.abort();
    const ctl = new AbortController();
    this.abort = ctl;
    const seq = ++this.seq;
    try {
      const core = await this.load("core", ctl.signal);
      if (seq !== this.seq) return;
      this.drawPathway(core); // the chart first: the tables below follow it
      await this.pathway.whenFinished();
      if (seq !== this.seq) return;
      window.__vcRoadmapDrawnAt = performance.now();
      window.__vcRoadmapDrawn += 1;
      this.drawTargets(core);
      this.drawSectors(core);
    } catch (e) {
      if (e.name === "AbortError" || seq !== this.seq) return;
      this.app.error(t("web.error.load", { what: "roadmap", message: e.message }));
      return;
    }
    clearTimeout(this.insightsTimer);
    this.insightsTimer = setTimeout(() => {
      this.redrawInsights(seq);
      this.redrawBand(seq, this.core);
    }, INSIGHTS_MS);
  }

  /** The Monte Carlo band of the pathway shown, asked for after it (it never delays a redraw). */
  async redrawBand(seq, core) {
    if (this.bandAbort) this.bandAbort.abort();
    const ctl = new AbortController();
    this.bandAbort = ctl;
    try {
      const b = await this.load("band", ctl.signal);
      if (seq !== this.seq || this.core !== core) return;
      core.band = b.band;
      this.drawPathway(core);
      window.__vcRoadmapBand = (window.__vcRoadmapBand || 0) + 1;
    } catch (e) {
      if (e.name === "AbortError" || seq !== this.seq) return;
      this.app.error(t("web.error.load", { what: "roadmap", message: e.message }));
    }
  }

  async redrawInsights(seq) {
    if (this.insightsAbort) this.insightsAbort.abort();
    const ctl = new AbortController();
    this.insightsAbort = ctl;
    try {
      const ins = await this.load("insights", ctl.signal);
      if (seq !== this.seq) return;
      this.drawInsights(ins);
      window.__vcRoadmapInsights = (window.__vcRoadmapInsights || 0) + 1;
    } catch (e) {
      if (e.name === "AbortError" || seq !== this.seq) return;
      this.app.error(t("web.error.load", { what: "roadmap", message: e.message }));
    }
  }

  // ---------- drawing ----------
  assumptionText(keys) {
    const all = (this.core && this.core.assumptions) || {};
    return [...new Set(keys)].filter((k) => all[k]).map((k) => all[k].label).join(t("roadmap.list.sep"));
  }

  drawCore(core) {
    this.drawPathway(core);
    this.drawTargets(core);
    this.drawSectors(core);
  }

  drawPathway(core) {
    this.core = core;
    const region = core.region_label;
    const title = core.scenario.edited ? t("web.roadmap.edited", { scenario: core.scenario.title }) : core.scenario.title;
    this.pathway.setTitle(t("web.roadmap.pathway.title", { region, end: core.years[core.years.length - 1], scenario: title }));
    const p = core.pathways;
    const keys = [].concat(p.scenario.assumptions, p.secda.assumptions);
    const note = t("web.roadmap.pathway.note", { t0: core.t0, assumptions: this.assumptionText(keys) });
    this.pathway.note.textContent = core.band && core.band.note ? `${note} ${core.band.note}` : note;
    this.pathway.set(this.pathwayOption(core));
  }

  pathwayOption(core) {
    const narrow = this.pathway.plot.clientWidth < 560;
    const hist = core.history;
    const years = [...new Set([...hist.years, ...core.years])].sort((a, b) => a - b);
    const at = (ys, vals) => {
      const m = new Map(ys.map((y, i) => [y, vals[i]]));
      return years.map((y) => (m.has(y) ? m.get(y) : null));
    };
    const p = core.pathways;
    const Y = core.years;
    const series = [];
    const line = (name, data, colour, opts = {}) =>
      series.push(Object.assign({ type: "line", name, data, symbol: "none", connectNulls: false, lineStyle: { width: opts.width || 2, type: opts.dash || "solid", color: colour }, itemStyle: { color: colour }, z: opts.z || 3 }, opts.extra || {}));
    line(t("web.roadmap.series.history"), at(hist.years, hist.co2), COLOURS.history, { width: 2.5, extra: { symbol: "circle", symbolSize: 4 } });
    line(t("web.roadmap.series.baseline"), at(Y, p.baseline.pba), COLOURS.baseline, { dash: "dashed" });
    line(t("web.roadmap.series.scenario"), at(Y, p.scenario.pba), COLOURS.scenario, { width: 3, z: 4 });
    line(t("web.roadmap.series.scenario_cba"), at(Y, p.scenario.cba), COLOURS.cba, { dash: "dotted" });
    line(t("web.roadmap.series.secda"), at(Y, p.secda.pba), COLOURS.secda, { dash: [6, 3] });
    line(t("web.roadmap.series.net"), at(Y, p.scenario.net), COLOURS.net, { width: 2 });
    line(t("web.roadmap.series.removal"), at(Y, p.scenario.removal.map((v) => (v === null ? null : -v))), COLOURS.removal, { extra: { areaStyle: { color: COLOURS.removal, opacity: 0.15 } } });
    // the Monte Carlo band after the lines (series 0 stays the history: its first point has a value)
    const band = core.band;
    if (band && band.years && band.p5) {
      const lo = at(band.years, band.p5);
      const hi = at(band.years, band.p95);
      const q1 = at(band.years, band.p25);
      const q3 = at(band.years, band.p75);
      const stack = (name, key, base, top, opacity) => {
        series.push({ type: "line", name: `${name}-base`, data: base, stack: key, symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { opacity: 0 }, tooltip: { show: false }, silent: true, legendHoverLink: false, z: 1 });
        series.push({ type: "line", name, data: top.map((v, i) => (v === null || base[i] === null ? null : v - base[i])), stack: key, symbol: "none", lineStyle: { opacity: 0 }, areaStyle: { color: COLOURS.band, opacity }, itemStyle: { color: COLOURS.band, opacity: Math.min(1, opacity * 3) }, z: 1, bandOf: true });
      };
      stack(t("web.roadmap.series.band"), "band95", lo, hi, 0.12);
      stack(t("web.roadmap.series.band50"), "band50", q1, q3, 0.22);
      line(t("web.roadmap.series.median"), at(band.years, band.p50), COLOURS.band, { dash: "dotted", width: 1.5 });
    }
    // target markers: what a target allows in its year (Mt), on the scenario
    const marks = [];
    for (const c of core.targets.checks) {
      if (c.pathway !== "scenario" || c.sector) continue;
      let y = null;
      if (c.unit === "Mt" && c.required !== null) y = c.required;
      else if (c.kind === "peak") y = p.scenario.pba[Y.indexOf(c.year)];
      if (y === null || y === undefined || years.indexOf(c.year) < 0) continue;
      marks.push({ value: [String(c.year), y], check: c, itemStyle: { color: c.met ? COLOURS.met : COLOURS.missed }, symbol: c.met ? "circle" : "path://M2,0 L10,8 L18,0 L20,2 L12,10 L20,18 L18,20 L10,12 L2,20 L0,18 L8,10 L0,2 Z" });
    }
    series.push({ type: "scatter", name: t("web.roadmap.series.target"), data: marks, symbolSize: 12, z: 6, itemStyle: { color: COLOURS.met, borderColor: "#fff", borderWidth: 1 } });
    const values = series.filter((s) => !s.stack).flatMap((s) => s.data.map((d) => (Array.isArray(d) ? d[1] : d && d.value ? d.value[1] : d)));
    const spec = columnScale("mt", values.filter((v) => typeof v === "number"));
    const tip = (params) => {
      const list = [].concat(params).filter((q) => q.seriesType === "line" && q.value !== null && q.value !== undefined && !/-base$/.test(q.seriesName));
      if (!list.length) return "";
      const head = `<b>${escapeHtml(list[0].axisValue)}</b>`;
      const rows = list.map((q) => {
        const s = series[q.seriesIndex];
        let v = q.value;
        if (s.bandOf) return null;
        if (s.name === t("web.roadmap.series.removal") && typeof v === "number") v = -v;
        return `${q.marker}${escapeHtml(q.seriesName)}: <b>${numHtml(v, "mt")}</b>`;
      }).filter(Boolean);
      return [head, ...rows].join("<br>");
    };
    return {
      color: OKABE_ITO,
      tooltip: { trigger: "axis", formatter: tip },
      legend: narrow
        ? { type: "scroll", orient: "horizontal", left: 0, right: 0, bottom: 0, data: series.filter((s) => !/-base$/.test(s.name)).map((s) => s.name), textStyle: { fontSize: 10 } }
        : { type: "scroll", orient: "vertical", right: 0, top: 10, bottom: 10, width: 170, data: series.filter((s) => !/-base$/.test(s.name)).map((s) => s.name), textStyle: { fontSize: 11, width: 150, overflow: "truncate" }, tooltip: { show: true } },
      grid: narrow ? { left: 48, right: 10, top: 30, bottom: 84 } : { left: 64, right: 195, top: 30, bottom: 36 },
      xAxis: { type: "category", data: years.map(String), boundaryGap: false, axisLabel: { interval: narrow ? 9 : 4 } },
      yAxis: { type: "value", name: spec.label, nameTextStyle: { align: "left" }, axisLabel: { formatter: axisFormatter(spec) } },
      series: series.map((s) => {
        const out = Object.assign({}, s);
        delete out.bandOf;
        if (s.type === "scatter") {
          out.tooltip = { trigger: "item", formatter: (q) => {
            const c = q.data.check;
            return `${escapeHtml(t("web.roadmap.target.tip", { kind: c.kind_label, year: c.year, status: c.status_label }))}<br><b>${numHtml(q.data.value[1], "mt")}</b>`;
          } };
        }
        return out;
      }),
    };
  }

  drawTargets(core) {
    const box = this.targets;
    box.setTitle(t("web.roadmap.targets.title"));
    const zh = currentLang() === "zh-Hans";
    const rows = core.targets.checks.map((c, i) => ({
      id: i,
      target: `${c.kind_label} ${c.year}`,
      pathway: t(`web.roadmap.pathway.${c.pathway}`),
      status: c.status_label,
      met: c.met,
      state: c.status === "met" || c.status === "missed" ? c.status : "other",
      excess: c.status === "met" || c.status === "missed" ? c.excess_mt : null,
      target_status: c.target_status_label,
      source: zh ? zhPunct(c.reason ? `${c.reason} · ${c.source}` : c.source) : c.reason ? `${c.reason} · ${c.source}` : c.source,
      year: c.year,
    }));
    const spec = columnScale("mt", rows.map((r) => r.excess));
    const columns = [
      { title: t("web.roadmap.col.target"), field: "target", minWidth: 120, frozen: true },
      { title: t("web.roadmap.col.pathway"), field: "pathway", minWidth: 80 },
      { title: t("web.roadmap.col.status"), field: "status", minWidth: 80, formatter: (c) => `<span class="vc-rm-${c.getRow().getData().state}">${escapeHtml(c.getValue())}</span>` },
      numCol(box, "excess", t("web.roadmap.col.gap"), spec),
      { title: t("web.roadmap.col.target_status"), field: "target_status", minWidth: 80 },
      { title: t("web.roadmap.col.source"), field: "source", minWidth: 240, maxWidth: 520, formatter: "plaintext", tooltip: true },
    ];
    const exportColumns = [
      { field: "target", title: t("web.roadmap.col.target"), searchable: true },
      { field: "pathway", title: t("web.roadmap.col.pathway") },
      { field: "status", title: t("web.roadmap.col.status") },
      { field: "excess", title: t("web.roadmap.col.gap"), unit: "mt" },
      { field: "target_status", title: t("web.roadmap.col.target_status") },
      { field: "source", title: t("web.roadmap.col.source") },
    ];
    return box.setData(columns, rows, exportColumns, { height: fitHeight(rows.length, 12) });
  }

  drawSectors(core) {
    const box = this.sectors;
    const sec = core.sectors;
    box.setTitle(t("web.roadmap.sectors.title"));
    this.sectorsNote.innerHTML = htmlText("web.roadmap.sectors.note", { t0: core.t0 }, { unit: tag(columnScale("t_per_10k_yuan", []).label, "t_per_10k_yuan") });
    const rows = sec.rows.map((r, i) => {
      const row = { id: i, code: r.code, label: r.label, short: r.short, co2_t0: r.co2_t0, intensity_t0: r.intensity_t0, target_2030: r.target_2030, target_2060: r.target_2060, m_2030: r.m_2030 };
      sec.years.forEach((y, k) => (row[`needed_${y}`] = r.needed[k]));
      return row;
    });
    const col = (f) => rows.map((r) => r[f]);
    const ispec = columnScale("t_per_10k_yuan", [...col("intensity_t0"), ...col("target_2030"), ...col("target_2060")]);
    const mspec = columnScale("mt", col("co2_t0"));
    const nspec = columnScale("mt", sec.years.flatMap((y) => col(`needed_${y}`)));
    const dspec = columnScale("dimensionless", col("m_2030"), { decimals: 3 });
    const columns = [
      // short names in the table (the full one on hover and in the downloads); frozen on wide screens only
      { title: t("web.roadmap.col.sector"), field: "short", minWidth: 100, maxWidth: 190, frozen: this.sectors.holder.clientWidth > 560, tooltip: (e, cell) => cell.getRow().getData().label },
      numCol(box, "co2_t0", t("web.roadmap.col.co2_t0", { t0: core.t0 }), mspec),
      numCol(box, "intensity_t0", t("web.roadmap.col.intensity_t0", { t0: core.t0 }), ispec),
      numCol(box, "target_2030", t("web.roadmap.col.target_2030"), ispec),
      numCol(box, "target_2060", t("web.roadmap.col.target_2060", { year: sec.end_year }), ispec),
      numCol(box, "m_2030", t("web.roadmap.col.m_2030"), dspec),
      ...sec.years.map((y) => numCol(box, `needed_${y}`, t("web.roadmap.col.needed", { year: y }), nspec)),
    ];
    const exportColumns = [
      { field: "code", title: "code", searchable: true },
      { field: "label", title: t("web.roadmap.col.sector"), searchable: true },
      { field: "co2_t0", title: t("web.roadmap.col.co2_t0", { t0: core.t0 }), unit: "mt" },
      { field: "intensity_t0", title: t("web.roadmap.col.intensity_t0", { t0: core.t0 }), unit: "t_per_10k_yuan" },
      { field: "target_2030", title: t("web.roadmap.col.target_2030"), unit: "t_per_10k_yuan" },
      { field: "target_2060", title: t("web.roadmap.col.target_2060", { year: sec.end_year }), unit: "t_per_10k_yuan" },
      { field: "m_2030", title: t("web.roadmap.col.m_2030"), unit: "dimensionless" },
      ...sec.years.map((y) => ({ field: `needed_${y}`, title: t("web.roadmap.col.needed", { year: y }), unit: "mt" })),
    ];
    return box.setData(columns, rows, exportColumns, { height: "420px", initialSort: [{ column: "needed_2030", dir: "desc" }] });
  }

  drawInsights(ins) {
    this.insights = ins;
    this.drawWedges(ins);
    this.drawLevers(ins);
    this.drawPartners(ins);
    this.drawChains(ins);
    this.fillQuestions(ins);
  }

  drawWedges(ins) {
    const w = ins.wedges;
    this.wedges.setTitle(t("web.roadmap.wedges.title"));
    if (!w.series.length) {
      this.wedges.clear();
      this.wedges.plot.hidden = true;
      this.wedges.note.textContent = t("web.roadmap.wedges.none");
      return;
    }
    this.wedges.plot.hidden = false;
    this.wedges.note.textContent = t("web.roadmap.wedges.note");
    const narrow = this.wedges.plot.clientWidth < 420;
    const spec = columnScale("mt", w.series.flatMap((s) => s.values));
    // the scenario files label their levers in English: a Chinese page names the kind of lever
    const names = w.series.map((s, k) => (currentLang() === "zh-Hans" ? `${k + 1}. ${s.kind_label}` : `${s.label} (${s.kind_label})`));
    this.wedges.set({
      color: OKABE_ITO,
      tooltip: { trigger: "axis", formatter: (ps) => {
        const list = [].concat(ps);
        return [`<b>${escapeHtml(list[0].axisValue)}</b>`, ...list.map((q) => `${q.marker}${escapeHtml(q.seriesName)}: <b>${numHtml(q.value, "mt")}</b>`)].join("<br>");
      } },
      legend: { type: "scroll", bottom: 0, left: 0, right: 0, textStyle: { fontSize: 10 } },
      grid: { left: 48, right: 12, top: 28, bottom: narrow ? 56 : 44 },
      xAxis: { type: "category", data: w.years.map(String), boundaryGap: false, axisLabel: { interval: 9 } },
      yAxis: { type: "value", name: spec.label, nameTextStyle: { align: "left" }, axisLabel: { formatter: axisFormatter(spec) } },
      series: w.series.map((s, k) => ({ type: "line", name: names[k], stack: "wedges", data: s.values, symbol: "none", lineStyle: { width: 1 }, areaStyle: { opacity: 0.75 } })),
    });
  }

  drawLevers(ins) {
    const box = this.levers;
    const L = ins.levers;
    box.el.hidden = !L;
    if (!L) return;
    box.setTitle(t("web.roadmap.levers.title", { year: L.year }));
    const rows = L.rows.map((r, i) => ({ id: i, rank: r.rank, what: r.what, avoided: r.avoided, inside: r.inside, outside: r.outside, per: r.unit_label }));
    const spec = columnScale("mt", rows.flatMap((r) => [r.avoided, r.inside, r.outside]));
    const columns = [
      box.intColumn("rank", t("web.roadmap.col.rank"), "rank", { minWidth: 50, maxWidth: 70 }),
      { title: t("web.roadmap.col.lever"), field: "what", minWidth: 150, maxWidth: box.holder.clientWidth > 560 ? 420 : 180, formatter: "plaintext", tooltip: true },
      numCol(box, "avoided", t("web.roadmap.col.avoided"), spec),
      numCol(box, "inside", t("web.roadmap.col.inside"), spec),
      numCol(box, "outside", t("web.roadmap.col.outside"), spec),
      { title: t("web.roadmap.col.per"), field: "per", minWidth: 90 },
    ];
    const exportColumns = [
      { field: "rank", title: t("web.roadmap.col.rank") },
      { field: "what", title: t("web.roadmap.col.lever"), searchable: true },
      { field: "avoided", title: t("web.roadmap.col.avoided"), unit: "mt" },
      { field: "inside", title: t("web.roadmap.col.inside"), unit: "mt" },
      { field: "outside", title: t("web.roadmap.col.outside"), unit: "mt" },
      { field: "per", title: t("web.roadmap.col.per") },
    ];
    return box.setData(columns, rows, exportColumns, { height: fitHeight(rows.length, 10) });
  }

  drawPartners(ins) {
    const box = this.partners;
    const P = ins.partners;
    box.el.hidden = !P;
    if (!P) return;
    box.setTitle(t("web.roadmap.partners.title", { year: P.year }));
    const rows = [];
    for (const e of P.emitters) {
      for (const dir of ["upstream", "downstream"]) {
        for (const q of e[dir]) {
          rows.push({ id: rows.length, emitter: e.sector_label, emitter_co2: e.co2, direction: t(`web.roadmap.direction.${dir}`), partner: `${q.region_label} · ${q.sector_label}`, mt: q.mt });
        }
      }
    }
    const espec = columnScale("mt", rows.map((r) => r.emitter_co2));
    const spec = columnScale("mt", rows.map((r) => r.mt));
    const columns = [
      { title: t("web.roadmap.col.emitter"), field: "emitter", minWidth: 100, maxWidth: 160, tooltip: true },
      { title: t("web.roadmap.col.direction"), field: "direction", minWidth: 70 },
      { title: t("web.roadmap.col.partner"), field: "partner", minWidth: 130, maxWidth: box.holder.clientWidth > 560 ? 320 : 170, tooltip: true },
      numCol(box, "mt", t("web.roadmap.col.mt"), spec),
      numCol(box, "emitter_co2", t("web.roadmap.col.emitter_co2"), espec),
    ];
    const exportColumns = [
      { field: "emitter", title: t("web.roadmap.col.emitter"), searchable: true },
      { field: "emitter_co2", title: t("web.roadmap.col.emitter_co2"), unit: "mt" },
      { field: "direction", title: t("web.roadmap.col.direction") },
      { field: "partner", title: t("web.roadmap.col.partner"), searchable: true },
      { field: "mt", title: t("web.roadmap.col.mt"), unit: "mt" },
    ];
    return box.setData(columns, rows, exportColumns, { height: "360px" });
  }

  drawChains(ins) {
    const box = this.chains;
    const C = ins.chains;
    box.el.hidden = !C;
    if (!C) return;
    const a = this.core ? this.core.region_label : C.a;
    box.setTitle(t("web.roadmap.chains.title", { b: C.b_label, year: C.year }));
    this.chainsNote.innerHTML = escapeHtml(t("web.roadmap.chains.note", { a, b: C.b_label, ab: "\u0001ab\u0001", ba: "\u0001ba\u0001" }))
      .replace("\u0001ab\u0001", numHtml(C.total_ab, "mt"))
      .replace("\u0001ba\u0001", numHtml(C.total_ba, "mt"));
    const rows = C.rows.map((r, i) => ({ id: i, emits: `${r.src_label} · ${r.src_sector_label}`, for: `${r.dst_label} · ${r.dst_sector_label}`, mt: r.mt }));
    const spec = columnScale("mt", rows.map((r) => r.mt));
    const columns = [
      { title: t("web.roadmap.col.emits"), field: "emits", minWidth: 170 },
      { title: t("web.roadmap.col.for"), field: "for", minWidth: 170 },
      numCol(box, "mt", t("web.roadmap.col.mt"), spec),
    ];
    const exportColumns = [
      { field: "emits", title: t("web.roadmap.col.emits"), searchable: true },
      { field: "for", title: t("web.roadmap.col.for"), searchable: true },
      { field: "mt", title: t("web.roadmap.col.mt"), unit: "mt" },
    ];
    return box.setData(columns, rows, exportColumns, { height: fitHeight(rows.length, 10) });
  }

  fillQuestions(ins) {
    const picked = this.question.value;
    clear(this.question);
    for (const a of ins.assistant.answers) this.question.appendChild(option(a.question, currentLang() === "zh-Hans" ? zhPunct(a.title) : a.title, a.question === picked));
    this.showAnswer();
  }

  showAnswer() {
    clear(this.answer);
    const ins = this.insights;
    if (!ins) return;
    const a = ins.assistant.answers.find((x) => x.question === this.question.value) || ins.assistant.answers[0];
    if (!a) return;
    for (const s of a.sentences) {
      const li = h("li", { class: "vc-rm-sentence" });
      li.innerHTML = sentenceHtml(s.text, s.link);
      this.answer.appendChild(li);
    }
  }
}

