// The City tab (城市): one city of a city-level MRIO (the demo's synthetic demo-city, or a
// table imported with `viscarbon import ceads-city-mrio`), inside the province chosen in the
// sidebar. Two payloads: /api/cities (the picker: every city with zh, en, pinyin, province,
// covered) and /api/city-view (everything about one city in one request).
//  * picker: a search box matching Chinese, English and pinyin (initials too: "gz" 广州);
//    cities of the sidebar's province first; picking a city of another province switches it;
//  * drill-down: a tile map of the provinces with cities in the table (click: its cities) and
//    the province's cities as tiles (generated grid in code order, capital first: not a map;
//    greyed tiles are cities the table does not hold); click a city tile to pick it;
//  * the city's headline strip, its sector network (42 sectors sized by output or CO2, the
//    largest intra-city money flows), the partner cities in embodied CO2 trade (two bar charts);
//  * the coverage note when the province is covered only partly; an empty state without any
//    city table; an empty, hidden <section id="city-pathway"> for the city roadmap panel.
// The city (and the city dataset when there are several) is in the URL: ?city=440100.
import { h, clear, option } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { FONT, SEQUENTIAL, ramp, textWidth, tileGridOption, tileRect } from "../core/charts.js";
import { escapeHtml, numHtml, shareHtml, columnScale, axisFormatter, fmtIn, htmlText } from "../core/format.js";
import { ChartBox, HeadlineStrip } from "../core/widgets.js";
import { forceLayout, circle } from "../core/forcelayout.js";
import { cityIndex, suggestCities } from "../core/citysearch.js";
import { stateToQuery } from "../core/state.js";
import { renderCityPathway } from "./city_pathway.js";

const SIZE_BY = ["output", "co2"];
const IMPORT_COLOUR = "#0072B2";
const EXPORT_COLOUR = "#D55E00";

export class CityView {
  constructor(app) {
    this.app = app;
    this.sizeBy = "output";
  }

  mount(panel) {
    this.panel = panel;
    this.empty = h("div", { class: "vc-notice vc-info vc-city-empty", id: "vc-city-empty", hidden: true });
    this.banner = h("div", { class: "vc-notice vc-city-banner", id: "vc-city-banner", role: "note", hidden: true });
    this.coverage = h("div", { class: "vc-notice vc-info", id: "vc-city-coverage", hidden: true });
    this.message = h("div", { class: "vc-notice vc-info", id: "vc-city-message", hidden: true });
    this.datasetSelect = h("select", { id: "vc-city-dataset", onchange: () => this.app.update({ cityds: this.datasetSelect.value, city: "" }) });
    this.datasetField = h("label", { class: "vc-inline", hidden: true }, t("web.city.dataset"), this.datasetSelect);
    this.input = h("input", {
      id: "vc-city-search",
      type: "search",
      autocomplete: "off",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": "vc-city-suggest",
      placeholder: t("web.city.search.placeholder"),
      "aria-label": t("web.city.search"),
      oninput: () => this.showSuggestions(),
      onkeydown: (e) => this.onKey(e),
      onblur: () => setTimeout(() => this.closeSuggestions(), 150),
    });
    this.suggestions = h("ul", { id: "vc-city-suggest", class: "vc-suggest", role: "listbox", hidden: true });
    this.sizeSelect = h("select", { id: "vc-city-size", onchange: () => this.onSize() }, ...SIZE_BY.map((s) => option(s, t(`web.city.size.${s}`), s === this.sizeBy)));
    panel.appendChild(this.empty);
    panel.appendChild(this.banner);
    this.body = h("div", { class: "vc-city-body" });
    panel.appendChild(this.body);
    this.body.appendChild(
      h(
        "div",
        { class: "vc-filters vc-city-picker" },
        this.datasetField,
        h("div", { class: "vc-field vc-city-field" }, h("label", { class: "vc-field-label", for: "vc-city-search" }, t("web.city.search")), h("div", { class: "vc-combo" }, this.input, this.suggestions), h("small", null, t("web.city.search.hint"))),
      ),
    );
    this.body.appendChild(this.coverage);
    this.body.appendChild(this.message);
    this.headline = new HeadlineStrip();
    this.headline.el.id = "vc-city-headline";
    this.headline.el.setAttribute("aria-label", t("web.city.headline"));
    this.body.appendChild(this.headline.el);
    this.provinceMap = new ChartBox(this.app, { id: "city-provinces", cls: "vc-chart-citymap", getMeta: () => this.meta(this.provinceMap) });
    this.cityMap = new ChartBox(this.app, { id: "city-tiles", cls: "vc-chart-citymap", getMeta: () => this.meta(this.cityMap) });
    this.body.appendChild(h("div", { class: "vc-grid2" }, this.provinceMap.el, this.cityMap.el));
    this.network = new ChartBox(this.app, { id: "city-network", cls: "vc-chart-citynet", getMeta: () => this.meta(this.network), tools: [h("label", { class: "vc-inline" }, t("web.city.size"), this.sizeSelect)] });
    this.body.appendChild(this.network.el);
    this.imports = new ChartBox(this.app, { id: "city-imports", cls: "vc-chart-citybars", getMeta: () => this.meta(this.imports, "mt") });
    this.exports = new ChartBox(this.app, { id: "city-exports", cls: "vc-chart-citybars", getMeta: () => this.meta(this.exports, "mt") });
    this.body.appendChild(h("div", { class: "vc-grid2" }, this.imports.el, this.exports.el));
    this.note = h("p", { class: "vc-box-note vc-city-note" });
    this.body.appendChild(this.note);
    // the city roadmap panel ("City pathway to 2060", /api/city-pathway): the city's CO2 to
    // 2060 under the Roadmap tab's scenario, reconciled to its province's roadmap
    this.pathway = h("section", { id: "city-pathway", class: "vc-city-pathway", hidden: true });
    this.body.appendChild(this.pathway);
  }

  meta(box, unit) {
    const units = this.app.units();
    const v = this.view;
    const extra = { title: box.heading.textContent, units: unit === "mt" ? units.mt || "Mt CO2" : units["10k_yuan"] || "" };
    if (v) {
      extra.dataset = v.dataset;
      extra.city = `${v.city.code} (${v.city.label})`;
      extra.synthetic = v.synthetic ? "true" : "false";
      if (v.synthetic) extra.synthetic_note = v.banner;
      extra.citation = v.citation;
    }
    return this.app.downloadMeta(extra);
  }

  resize() {
    for (const b of [this.provinceMap, this.cityMap, this.network, this.imports, this.exports]) b.resize();
    if (this.pathwayBox) this.pathwayBox.resize();
  }

  onSize() {
    this.sizeBy = this.sizeSelect.value;
    if (this.view) this.drawNetwork(this.view);
  }

  cityDatasets() {
    return this.app.meta.city_datasets || [];
  }

  /** The city dataset of the state: the one in the URL, else the latest real one, else the demo's. */
  datasetFor(state) {
    const all = this.cityDatasets();
    const named = all.find((d) => d.name === state.cityds);
    if (named) return named;
    const real = all.filter((d) => !d.synthetic);
    return real.length ? real[real.length - 1] : all[0] || null;
  }

  showEmpty(text) {
    this.empty.hidden = false;
    clear(this.empty);
    this.empty.appendChild(h("span", null, text));
    this.body.hidden = true;
    this.banner.hidden = true;
    for (const b of [this.provinceMap, this.cityMap, this.network, this.imports, this.exports]) b.clear();
  }

  async render(state) {
    const ds = this.datasetFor(state);
    if (!ds) {
      this.view = null;
      this.showEmpty(t(this.app.boot.mode === "static" ? "web.city.static" : "web.city.empty"));
      return;
    }
    this.empty.hidden = true;
    this.body.hidden = false;
    const all = this.cityDatasets();
    this.datasetField.hidden = all.length < 2;
    if (this.datasetKey !== all.map((d) => d.name).join("|")) {
      this.datasetKey = all.map((d) => d.name).join("|");
      clear(this.datasetSelect);
      for (const d of all) this.datasetSelect.appendChild(option(d.name, d.name, d.name === ds.name));
    }
    this.datasetSelect.value = ds.name;
    const year = ds.years.includes(state.year) ? state.year : ds.years[ds.years.length - 1];
    const list = await this.app.src.get("cities", { dataset: ds.name, year });
    this.list = list;
    this.index = cityIndex(list.cities.filter((c) => c.covered));
    // the city: the URL's when the table has it; its province wins over the sidebar's
    const covered = list.cities.filter((c) => c.covered);
    let city = covered.find((c) => c.code === state.city) || null;
    if (state.city && !city) this.app.showProblems([{ param: "city", value: state.city, allowed: t("web.city.bad_city") }]);
    const regionChanged = this.shownRegion !== undefined && this.shownRegion !== state.region;
    this.shownRegion = state.region;
    if (city && city.province && city.province !== state.region) {
      // a province picked in the sidebar or on the map wins over the city of another province;
      // a link that names a city opens it inside its own province (one redirect)
      if (regionChanged || !this.app.region(city.province)) city = null;
      else {
        this.shownRegion = city.province;
        this.app.update({ region: city.province }, "replace");
        return;
      }
    }
    if (!city) city = covered.find((c) => c.province === state.region) || null;
    const province = (list.provinces || []).find((p) => p.code === state.region) || null;
    this.banner.hidden = !list.banner;
    this.banner.textContent = list.banner || "";
    this.drawProvinces(list, state);
    this.drawCityTiles(list, state, city);
    if (!city) {
      // the sidebar's province has no city in this table
      this.view = null;
      this.message.hidden = false;
      this.message.textContent = t("web.city.no_city_in_province", { province: this.app.regionLabel(state.region), dataset: ds.name, provinces: (list.provinces || []).map((p) => p.label).join(t("web.list_sep")) });
      this.coverage.hidden = true;
      this.headline.set([]);
      this.input.value = "";
      for (const b of [this.network, this.imports, this.exports]) b.clear();
      this.network.setTitle(t("web.city.network.none"));
      this.imports.setTitle("");
      this.exports.setTitle("");
      this.note.textContent = "";
      this.pathway.hidden = true;
      clear(this.pathway);
      return;
    }
    this.message.hidden = true;
    if (state.city !== city.code) {
      // the default city of the province (the capital), written into the URL
      state.city = city.code;
      history.replaceState(null, "", `?${stateToQuery(state, this.app.meta)}`);
    }
    const view = await this.app.src.get("city-view", { dataset: ds.name, year, city: city.code });
    this.view = view;
    this.input.value = this.cityText(view.city);
    this.coverage.hidden = !(province && province.coverage_note);
    this.coverage.textContent = province && province.coverage_note ? province.coverage_note : "";
    this.headline.set(this.tiles(view));
    this.drawNetwork(view);
    this.drawPartners(view);
    this.note.textContent = (view.notes || []).join(" ");
    this.drawPathway(ds, year, city, state);
  }

  /** The city's pathway to 2060 (the roadmap of the city table under the state's scenario);
   *  drawn after the city view so the tab does not wait for it (a first run of a scenario
   *  takes seconds). Not in the static export (it has no roadmap payloads). */
  drawPathway(ds, year, city, state) {
    if (this.app.boot.mode === "static") {
      this.pathway.hidden = true;
      return;
    }
    this.pathway.hidden = false;
    const key = [ds.name, city.code, state.scenario, this.app.lang].join("|");
    if (this.pathwayKey === key && this.pathway.childElementCount) return;
    this.pathwayKey = key;
    this.pathwayDone = renderCityPathway(this.pathway, { dataset: ds.name, year, city: city.code, lang: this.app.lang, scenario: state.scenario, source: this.app.src, app: this.app });
    this.pathwayDone.then((r) => {
      if (this.pathwayKey === key) this.pathwayBox = r.box;
    });
  }

  cityText(c) {
    return this.app.lang === "zh-Hans" ? `${c.zh}（${c.province_label}）` : `${c.en} (${c.province_label})`;
  }

  label(c) {
    return this.app.lang === "zh-Hans" ? c.zh : c.en;
  }

  tiles(v) {
    const hd = v.headline;
    const city = v.city.label;
    const unknown = hd.production_mt === null ? escapeHtml(t("web.city.co2_unknown")) : null;
    const share = (x) => (x === null ? null : htmlText("web.city.tile.share", { province: v.province.label }, { share: shareHtml(x) }));
    return [
      { code: "output", label: t("web.city.tile.output"), html: numHtml(hd.output_10k_yuan, "10k_yuan"), note: share(hd.output_share_of_province), title: t("web.city.tile.output.how") },
      { code: "value_added", label: t("web.city.tile.value_added"), html: numHtml(hd.value_added_10k_yuan, "10k_yuan"), note: null, title: t("web.city.tile.value_added.how") },
      { code: "production", label: t("web.city.tile.production"), html: numHtml(hd.production_mt, "mt"), note: unknown || share(hd.co2_share_of_province), title: t("web.city.tile.production.how") },
      { code: "consumption", label: t("web.city.tile.consumption"), html: numHtml(hd.consumption_mt, "mt"), note: htmlText("web.city.tile.consumption.note", { city }, {}), title: t("web.city.tile.consumption.how") },
      { code: "intensity", label: t("web.city.tile.intensity"), html: numHtml(hd.intensity_t_per_10k_yuan, "t_per_10k_yuan"), note: null, title: t("web.city.tile.intensity.how") },
    ];
  }

  // ---------------------------------------------------------------- search
  showSuggestions() {
    const q = this.input.value;
    clear(this.suggestions);
    if (!q.trim() || !this.index) return this.closeSuggestions();
    const hits = suggestCities(this.index, q, { province: this.app.state.region, limit: 8 });
    this.hits = hits;
    this.active = -1;
    if (!hits.length) {
      this.suggestions.appendChild(h("li", { class: "vc-suggest-none", role: "option", "aria-disabled": "true" }, t("web.city.search.none", { value: q.trim() })));
    }
    hits.forEach((hit, i) => {
      const c = hit.city;
      this.suggestions.appendChild(
        h(
          "li",
          { id: `vc-city-opt-${i}`, role: "option", "data-code": c.code, onmousedown: (e) => { e.preventDefault(); this.pick(c); } },
          h("span", { class: "vc-suggest-name" }, this.label(c)),
          h("span", { class: "vc-suggest-code" }, c.province_label),
          h("span", { class: "vc-suggest-other" }, [this.app.lang === "zh-Hans" ? c.en : c.zh, c.pinyin].filter(Boolean).join(" · ")),
        ),
      );
    });
    this.suggestions.hidden = false;
    this.input.setAttribute("aria-expanded", "true");
  }

  closeSuggestions() {
    this.suggestions.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }

  onKey(e) {
    const items = this.hits || [];
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!items.length) return;
      e.preventDefault();
      this.active = (this.active + (e.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
      [...this.suggestions.children].forEach((li, i) => li.classList.toggle("active", i === this.active));
      this.input.setAttribute("aria-activedescendant", `vc-city-opt-${this.active}`);
    } else if (e.key === "Enter") {
      e.preventDefault();
      const hit = items[this.active >= 0 ? this.active : 0];
      if (hit) this.pick(hit.city);
    } else if (e.key === "Escape") this.closeSuggestions();
  }

  pick(c) {
    this.closeSuggestions();
    const patch = { city: c.code };
    if (c.province && this.app.region(c.province)) patch.region = c.province;
    this.app.update(patch);
  }

  // ---------------------------------------------------------------- maps
  drawProvinces(list, state) {
    const byCode = new Map((list.provinces || []).map((p) => [p.code, p]));
    const tiles = (this.app.meta.regions || []).filter((r) => r.tile).map((r) => {
      const p = byCode.get(r.code);
      return { value: [r.tile[1], r.tile[0]], code: r.code, label: r.label, p, colour: !p ? "#eef0f2" : p.complete ? "#56B4E9" : "#b7dcf3" };
    });
    this.provinceMap.setTitle(t("web.city.provinces.title", { dataset: list.dataset, year: list.year }));
    this.provinceMap.set(
      tileGridOption(tiles, {
        tooltip: {
          formatter: (x) => {
            const d = x.data;
            const line = d.p ? t(d.p.complete ? "web.city.provinces.complete" : "web.city.provinces.partial", { n: d.p.n_table, total: d.p.n_all }) : t("web.city.provinces.none");
            return `<b>${escapeHtml(d.label)}</b> (${escapeHtml(d.code)})<br>${escapeHtml(line)}`;
          },
        },
        drawTile: (d, c) => {
          const selected = d.code === this.app.state.region;
          // the largest size (12 … 8 px) at which the name fits, else the code
          let size = 12;
          while (size > 8 && textWidth(d.label, size) > c.w - 5) size--;
          const text = textWidth(d.label, size) <= c.w - 5 ? d.label : d.code;
          return [
            tileRect(c, { fill: d.colour, stroke: selected ? "#000" : "#fff", lineWidth: selected ? 2.5 : 1 }),
            { type: "text", style: { x: c.x + c.w / 2, y: c.y + c.h / 2, text, align: "center", verticalAlign: "middle", fill: d.p ? "#111" : "#8a929b", font: `${size}px ${FONT}` } },
          ];
        },
      }),
    );
    this.provinceMap.note.textContent = t("web.city.provinces.note");
    this.provinceMap.chart.off("click");
    this.provinceMap.chart.on("click", (x) => x.data && this.app.update({ region: x.data.code, city: "" }));
  }

  drawCityTiles(list, state, city) {
    const rows = list.cities.filter((c) => c.province === state.region && c.tile);
    const province = this.app.regionLabel(state.region);
    this.cityMap.setTitle(t("web.city.tiles.title", { province, n: rows.filter((c) => c.covered).length }));
    if (!rows.length) {
      this.cityMap.clear();
      this.cityMap.note.textContent = t("web.city.tiles.none", { province });
      return;
    }
    // colour: production CO2 per city, from the province's block of the city view when loaded
    const figures = new Map(((this.view && this.view.province && this.view.province.code === state.region && this.view.province.cities) || []).map((c) => [c.code, c]));
    const known = [...figures.values()].map((c) => c.production_mt).filter((v) => v !== null);
    const vmin = Math.min(...known);
    const vmax = Math.max(...known);
    const tiles = rows.map((c) => {
      const f = figures.get(c.code);
      const v = f ? f.production_mt : null;
      const q = v === null || !Number.isFinite(vmin) ? NaN : vmax === vmin ? 0.5 : (v - vmin) / (vmax - vmin);
      return { value: [c.tile[1], c.tile[0]], city: c, f, colour: !c.covered ? "#f1f2f4" : Number.isNaN(q) ? "#cfe6f5" : ramp(SEQUENTIAL, 0.15 + 0.7 * q), dark: q > 0.45 };
    });
    this.cityMap.set(
      tileGridOption(tiles, {
        minCols: 3,
        minRows: 3,
        tooltip: {
          formatter: (x) => {
            const d = x.data;
            const c = d.city;
            const lines = [`<b>${escapeHtml(this.label(c))}</b> <span class="vc-tip-code">${escapeHtml(c.code)}</span>`];
            if (!c.covered) lines.push(`<i>${escapeHtml(t("web.city.tiles.not_in_table"))}</i>`);
            if (d.f) {
              lines.push(`${escapeHtml(t("web.city.tile.output"))}: <b>${numHtml(d.f.output_10k_yuan, "10k_yuan")}</b>`);
              lines.push(`${escapeHtml(t("web.city.tile.production"))}: <b>${numHtml(d.f.production_mt, "mt")}</b>`);
              lines.push(`${escapeHtml(t("web.city.tile.intensity"))}: <b>${numHtml(d.f.intensity_t_per_10k_yuan, "t_per_10k_yuan")}</b>`);
            }
            return lines.join("<br>");
          },
        },
        drawTile: (d, c) => {
          const selected = city && d.city.code === city.code;
          const name = this.label(d.city);
          const size = Math.max(8, Math.min(13, (c.w - 6) / Math.max(2, name.length * (this.app.lang === "zh-Hans" ? 1 : 0.55))));
          const fill = !d.city.covered ? "#9aa1a9" : d.dark ? "#fff" : "#111";
          const children = [
            tileRect(c, { fill: d.colour, stroke: selected ? "#000" : d.city.covered ? "#fff" : "#d5d9de", lineWidth: selected ? 2.5 : 1, lineDash: d.city.covered ? null : [3, 3] }),
            { type: "text", style: { x: c.x + c.w / 2, y: c.y + c.h / 2 - (d.f ? 1 : 0), text: name, align: "center", verticalAlign: d.f ? "bottom" : "middle", fill, font: `${size}px ${FONT}`, width: c.w - 4, overflow: "truncate" } },
          ];
          if (d.f && d.f.production_mt !== null) {
            children.push({ type: "text", style: { x: c.x + c.w / 2, y: c.y + c.h / 2 + 1, text: fmtIn(d.f.production_mt, this.mtSpec), align: "center", verticalAlign: "top", fill, font: `bold ${Math.max(8, size - 1)}px ${FONT}` } });
          }
          return children;
        },
      }),
    );
    this.cityMap.note.textContent = t("web.city.tiles.note", { unit: (this.mtSpec && this.mtSpec.label) || "Mt CO2" });
    this.cityMap.chart.off("click");
    this.cityMap.chart.on("click", (x) => x.data && x.data.city.covered && this.app.update({ city: x.data.city.code }));
  }

  // ---------------------------------------------------------------- network
  drawNetwork(v) {
    const net = v.network;
    const sizeBy = this.sizeBy;
    const values = net.nodes.map((n) => (sizeBy === "co2" ? n.co2 : n.output));
    const vmax = Math.max(0, ...values.filter((x) => x !== null));
    const index = new Map(net.nodes.map((n, i) => [n.code, i]));
    const emax = Math.max(0, ...net.edges.map((e) => e.value || 0));
    const layoutEdges = net.edges.map((e) => ({ source: index.get(e.source), target: index.get(e.target), value: e.value }));
    const pos = forceLayout(circle(net.nodes.length), layoutEdges, { gravity: 0.1, repulsion: 200, edgeLength: [40, 160], friction: 0.2 });
    const narrow = this.network.plot.clientWidth < 520;
    const nodes = net.nodes.map((n, i) => {
      const x = values[i];
      const size = x === null || vmax <= 0 ? 8 : 8 + (narrow ? 26 : 40) * Math.sqrt(x / vmax);
      return {
        id: n.code, name: n.code, x: pos[i][0], y: pos[i][1], value: x, symbolSize: size,
        itemStyle: { color: n.colour, borderColor: x === null ? "#888" : "#fff", borderWidth: 1, borderType: x === null ? "dashed" : "solid" },
        label: { show: size > (narrow ? 24 : 20), formatter: n.short || n.label, fontSize: narrow ? 9 : 11, position: "right" },
        _node: n,
      };
    });
    const links = net.edges.map((e) => ({ source: e.source, target: e.target, value: e.value, lineStyle: { width: emax > 0 ? 0.6 + 5.4 * Math.sqrt(e.value / emax) : 1, type: e.kept_for_emitter ? "dashed" : "solid", curveness: e.source === e.target ? 0.8 : 0.18 }, _edge: e }));
    const names = new Map(net.nodes.map((n) => [n.code, n.short || n.label]));
    this.network.setTitle(t("web.city.network.title", { city: v.city.label, year: v.year, n: net.edges.length }));
    this.network.set({
      tooltip: {
        trigger: "item",
        formatter: (p) => {
          if (p.dataType === "edge") {
            const e = p.data._edge;
            return [`<b>${escapeHtml(names.get(e.source))} → ${escapeHtml(names.get(e.target))}</b>`, `${escapeHtml(t("web.city.network.flow"))}: <b>${numHtml(e.value, "10k_yuan")}</b>`, `${escapeHtml(t("web.city.network.share"))}: ${shareHtml(e.share)}`].join("<br>");
          }
          const n = p.data._node;
          return [
            `<b>${escapeHtml(n.label)}</b> <span class="vc-tip-code">(${escapeHtml(n.code)})</span>`,
            `${escapeHtml(t("web.city.size.output"))}: <b>${numHtml(n.output, "10k_yuan")}</b>`,
            `${escapeHtml(t("web.city.size.co2"))}: <b>${numHtml(n.co2, "mt")}</b>`,
            `${escapeHtml(t("web.city.network.intensity"))}: <b>${numHtml(n.intensity, "t_per_10k_yuan")}</b>`,
            `${escapeHtml(t("web.city.network.total_intensity"))}: <b>${numHtml(n.total_intensity, "t_per_10k_yuan")}</b>`,
          ].join("<br>");
        },
      },
      series: [
        {
          type: "graph",
          layout: "none",
          roam: true,
          data: nodes,
          links,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: [0, 7],
          lineStyle: { color: "source", opacity: 0.55 },
          emphasis: { focus: "adjacency", label: { show: true, fontWeight: "bold" }, lineStyle: { opacity: 0.95 } },
          left: narrow ? 8 : 30,
          right: narrow ? 48 : 110,
          top: 16,
          bottom: 16,
        },
      ],
    });
    this.network.note.textContent = t("web.city.network.note", { n: net.edges.length, cells: net.n_cells });
  }

  // ---------------------------------------------------------------- partners
  drawPartners(v) {
    const pt = v.partners;
    const narrow = this.imports.plot.clientWidth < 480;
    this.mtSpec = columnScale("mt", v.province.cities.map((c) => c.production_mt));
    // the city tiles show CO2 with the province's figures: redraw them now that they are known
    this.drawCityTiles(this.list, this.app.state, v.city);
    const draw = (box, rows, others, total, colour, key, noteKey) => {
      box.setTitle(t(key, { city: v.city.label, n: rows.length, year: v.year, unit: (this.app.units().mt) || "Mt CO2" }));
      const data = rows.map((r) => ({ name: narrow ? r.label : `${r.label}（${r.province_label}）`.replace("（", this.app.lang === "zh-Hans" ? "（" : " (").replace("）", this.app.lang === "zh-Hans" ? "）" : ")"), value: r.value_mt, r }));
      const spec = columnScale("mt", data.map((d) => d.value));
      box.setTitle(t(key, { city: v.city.label, n: rows.length, year: v.year, unit: spec.label || "Mt CO2" }));
      box.set({
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, formatter: (ps) => {
          const d = data[[].concat(ps)[0].dataIndex];
          return `<b>${escapeHtml(d.r.label)}</b> (${escapeHtml(d.r.province_label)})<br>${numHtml(d.value, "mt")} · ${shareHtml(total ? d.value / total : null)}`;
        } },
        grid: { left: narrow ? 72 : 150, right: 24, top: 24, bottom: 10 },
        yAxis: { type: "category", data: data.map((d) => d.name), inverse: true, axisLabel: { fontSize: narrow ? 10 : 11, interval: 0, width: narrow ? 66 : 140, overflow: "truncate" } },
        xAxis: { type: "value", position: "top", axisLabel: { formatter: axisFormatter(spec), fontSize: 10 }, splitNumber: narrow ? 3 : 5 },
        series: [{ type: "bar", barCategoryGap: "25%", data: data.map((d) => ({ value: d.value, itemStyle: { color: colour } })) }],
      });
      box.note.innerHTML = htmlText(noteKey, { city: v.city.label }, { total: numHtml(total, "mt"), others: numHtml(others, "mt") });
    };
    draw(this.imports, pt.imports, pt.imports_others_mt, pt.imports_total_mt, IMPORT_COLOUR, "web.city.imports.title", "web.city.imports.note");
    draw(this.exports, pt.exports, pt.exports_others_mt, pt.exports_total_mt, EXPORT_COLOUR, "web.city.exports.title", "web.city.exports.note");
  }
}
