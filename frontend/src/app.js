// The dashboard controller: header, sidebar (with the province search), tab bar, URL state,
// data loading, notices. Each tab is a module of views/ (views/index.js); shared pieces are in
// core/. Layout, top to bottom: header · banner · [sidebar | tab bar · notices · headline
// strip (#vc-headline, the `headline` block of /api/view, core/headline.js) · the tab panels]; on a phone
// the sidebar is a drawer opened from the header, so the graph comes first.
import { echarts, setFontFor } from "./core/charts.js";
import { DataSource } from "./core/datasource.js";
import { h, clear, option } from "./core/dom.js";
import { setCatalog, t } from "./core/i18n.js";
import { setFormat } from "./core/format.js";
import { searchIndex, suggest, resolveRegion, regionText } from "./core/search.js";
import { HeadlineStrip } from "./core/widgets.js";
import { headlineTiles } from "./core/headline.js";
import { TABS, parseState, stateToQuery, datasetByName, defaults, NUMERIC, regionsOf, regionFor, withInventories, inventoryOnly, tabFor } from "./core/state.js";
import { VIEWS } from "./views/index.js";
import PINYIN from "./data/pinyin.json";

const LANG_NAMES = { en: "English", "zh-Hans": "简体中文" };

// which tabs each sidebar control acts on (a control is hidden on the other tabs)
const USED_BY = {
  indicator: ["network", "sectors", "trends", "provinces", "compare"],
  colour: ["network"],
  mode: ["network", "flows", "sankey"],
  top: ["network"],
  keep: ["network"],
  layout: ["network"],
};

export class App {
  constructor(root, boot) {
    this.root = root;
    this.boot = boot;
    this.meta = withInventories(boot.meta);
    this.lang = boot.lang === "zh-Hans" ? "zh-Hans" : "en";
    setCatalog(boot.catalog, this.lang);
    setFontFor(this.lang);
    this.src = new DataSource(boot);
    this.state = null;
    this.view = null;
    this.viewKey = null;
    this.token = 0;
    this.boxes = []; // every ChartBox and TableBox registers here (see settled())
    this.tables = [];
    this.errors = [];
    this.search = searchIndex(this.meta.regions || [], PINYIN);
    window.__vcRendered = 0;
    window.__vcTabRendered = {};
  }

  // ---------- meta helpers ----------
  dataset(name) {
    return datasetByName(this.meta, name || this.state.dataset);
  }
  indicator(code) {
    return (this.meta.indicators || []).find((i) => i.code === code) || null;
  }
  units() {
    return Object.assign({}, this.meta.units || {}, (this.view && this.view.units) || {});
  }
  region(code) {
    return (this.meta.regions || []).find((x) => x.code === code) || null;
  }
  regionLabel(code) {
    const r = this.region(code);
    return r ? r.label : code;
  }
  /** The province as the field and the lists write it: "Guangdong (GD)", "广东（GD）". */
  regionOption(r) {
    return regionText(r, this.lang);
  }
  sectors(dsName) {
    const ds = this.dataset(dsName);
    const lists = this.meta.sectors || {};
    return (ds && lists[ds.sector_list]) || [];
  }
  family(code) {
    return (this.meta.families || []).find((f) => f.code === code) || { code, label: code, colour: "#777777" };
  }
  modeUnit(mode) {
    const m = (this.meta.modes || []).find((x) => x.code === (mode || this.state.mode));
    return m ? m.unit : (mode || this.state.mode) === "carbon" ? "mt" : "10k_yuan";
  }
  honesty() {
    const v = this.view;
    const ds = this.dataset();
    return {
      synthetic: v ? v.synthetic : ds ? ds.synthetic : this.meta.synthetic,
      citation: (v && v.citation) || (ds && ds.citation) || this.meta.citation || "",
      banner: (v && v.banner) || (ds && ds.banner) || null,
      status: v ? v.status : null,
      statusNote: v && v.status !== "reported" ? v.status_note : null,
    };
  }
  /** Metadata written into every download (CSV/XLSX metadata, the figures' caption band). */
  downloadMeta(extra) {
    const hon = this.honesty();
    const s = this.state;
    const meta = {
      title: document.title,
      subtitle: t("web.figure.subtitle", { dataset: s.dataset, region: this.regionOption(this.region(s.region) || { code: s.region, label: s.region }), year: s.year }),
      dataset: s.dataset,
      year: s.year,
      region: `${s.region} (${this.regionLabel(s.region)})`,
      synthetic: hon.synthetic ? "true" : "false",
    };
    if (hon.synthetic) meta.synthetic_note = hon.banner || t("common.synthetic_demo");
    if (hon.statusNote) meta.status_note = hon.statusNote;
    Object.assign(meta, extra || {});
    meta.source = t("web.download.source");
    meta.citation = hon.citation;
    meta.generated_by = "viscarbon";
    meta.view_url = location.href;
    return meta;
  }

  // ---------- start ----------
  start() {
    performance.mark("vc:start");
    const { state, problems } = parseState(location.search, this.meta, this.lang);
    // ask for the province-year while the page is being built (the request is cached)
    if (!inventoryOnly(this.meta, state.dataset) && !(this.boot.mode === "static" && state.lang !== this.lang)) {
      this.src.get("view", { dataset: state.dataset, year: state.year, region: state.region }).catch(() => null);
    }
    this.build();
    this.showProblems(problems);
    if (this.boot.mode === "static" && state.lang !== this.lang) {
      // the static site has one page per language: open the other one with the same view
      this.gotoLanguage(state.lang, state);
      return;
    }
    state.lang = this.lang;
    window.addEventListener("popstate", () => {
      const parsed = parseState(location.search, this.meta, this.lang);
      this.showProblems(parsed.problems);
      parsed.state.lang = this.lang;
      this.apply(parsed.state, null);
    });
    let timer = null;
    window.addEventListener("resize", () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.resize(), 80);
    });
    this.apply(state, problems.length ? null : "replace");
  }

  /** Make `next` the current view; how = "push" | "replace" | null (history untouched). */
  async apply(next, how) {
    next.tab = tabFor(this.meta, next.dataset, next.tab);
    if (this.lang !== "zh-Hans") next.co2 = "mt"; // 万吨 is offered on the Chinese page only
    this.state = next;
    setFormat({ co2: next.co2 });
    if (how === "push") history.pushState(null, "", `?${stateToQuery(next, this.meta)}`);
    else if (how === "replace") history.replaceState(null, "", `?${stateToQuery(next, this.meta)}`);
    this.syncControls();
    this.showTab(next.tab);
    const token = ++this.token;
    const key = `${next.dataset}/${next.year}/${next.region}`;
    if (inventoryOnly(this.meta, next.dataset)) {
      // inventories only: no IO table, no /api/view; the Inventory tab loads /api/inventory
      if (key !== this.viewKey) {
        this.view = null;
        this.viewKey = key;
        this.headline.set([]);
        this.showInventoryNotices();
      }
    } else if (key !== this.viewKey) {
      this.setBusy(true);
      try {
        const view = await this.src.get("view", { dataset: next.dataset, year: next.year, region: next.region });
        if (token !== this.token) return;
        performance.mark("vc:view");
        this.view = view;
        this.viewKey = key;
        this.headline.set(headlineTiles(view.headline, this.regionLabel(next.region)));
        this.showViewNotices();
      } catch (e) {
        if (token !== this.token) return;
        this.setBusy(false);
        this.error(t("web.error.load", { what: key, message: e.message }));
        return;
      }
    }
    this.renderActive(token);
  }

  async renderActive(token) {
    const tab = this.state.tab;
    const view = this.views[tab];
    this.setBusy(true);
    try {
      await view.render(this.state, this.view);
      if (token !== this.token) return;
      await this.settled(tab);
      if (token !== this.token) return;
      window.__vcTabRendered[tab] = (window.__vcTabRendered[tab] || 0) + 1;
      window.__vcTabRenderedAt = performance.now();
      document.dispatchEvent(new CustomEvent("vc:tab-rendered", { detail: { tab } }));
    } catch (e) {
      if (token !== this.token) return;
      console.error(e);
      this.error(t("web.error.render", { message: e.message }));
    } finally {
      if (token === this.token) this.setBusy(false);
    }
  }

  /** Resolves when every chart of the tab has finished drawing and every table is built,
   * so "vc:tab-rendered" means the final picture (screenshots, tests, bench). */
  settled(tab) {
    const panel = document.getElementById(`vc-panel-${tab}`);
    if (!panel) return Promise.resolve();
    const charts = this.boxes.filter((b) => panel.contains(b.el)).map((b) => b.whenFinished());
    const tables = this.tables.filter((b) => panel.contains(b.el)).map((b) => b.whenBuilt());
    return Promise.all([...charts, ...tables]);
  }

  /** Change some state fields and record the new view in history. */
  update(patch, how = "push") {
    const next = Object.assign({}, this.state, patch);
    this.apply(next, how);
  }

  setBusy(busy) {
    this.root.setAttribute("aria-busy", busy ? "true" : "false");
    document.body.dataset.vcBusy = busy ? "1" : "0";
  }

  resize() {
    const v = this.state && this.views[this.state.tab];
    if (v && v.resize) v.resize();
  }

  // ---------- layout ----------
  build() {
    clear(this.root);
    const other = this.lang === "zh-Hans" ? "en" : "zh-Hans";
    this.banner = h("div", { class: "vc-banner", role: "status", hidden: true });
    this.notices = h("div", { class: "vc-notices", "aria-live": "polite" });
    this.menuButton = h(
      "button",
      { type: "button", class: "vc-menu", id: "vc-menu", "aria-expanded": "false", "aria-controls": "vc-sidebar", onclick: () => this.toggleDrawer() },
      h("span", { class: "vc-menu-icon", "aria-hidden": "true" }, "☰"),
      h("span", { class: "vc-menu-label" }, t("web.menu")),
    );
    const header = h(
      "header",
      { class: "vc-header" },
      this.menuButton,
      h("div", { class: "vc-brand" }, h("strong", null, t("common.app_name")), h("span", { class: "vc-tagline" }, t("common.tagline"))),
      h(
        "div",
        { class: "vc-header-actions" },
        this.boot.mode === "server"
          ? h("a", { href: `${this.src.apiBase}/docs`, class: "vc-link", target: "_blank", rel: "noopener" }, t("web.api_docs"))
          : null,
        h(
          "button",
          {
            type: "button",
            class: "vc-lang",
            id: "vc-lang",
            lang: other,
            title: t("web.lang.switch"),
            onclick: () => this.gotoLanguage(other, this.state),
          },
          LANG_NAMES[other],
        ),
      ),
    );
    this.sidebar = this.buildSidebar();
    this.backdrop = h("div", { class: "vc-backdrop", onclick: () => this.toggleDrawer(false) });
    this.tabbar = h("nav", { class: "vc-tabs", role: "tablist" });
    this.panels = h("div", { class: "vc-panels" });
    this.headline = new HeadlineStrip();
    this.views = {};
    for (const tab of TABS) this.views[tab] = new VIEWS[tab](this);
    this.tabButtons = {};
    for (const tab of TABS) {
      const btn = h(
        "button",
        {
          type: "button",
          role: "tab",
          id: `vc-tab-${tab}`,
          "data-tab": tab,
          "aria-controls": `vc-panel-${tab}`,
          onclick: () => this.update({ tab }),
        },
        t(`web.tab.${tab}`),
      );
      this.tabButtons[tab] = btn;
      this.tabbar.appendChild(btn);
      const panel = h("section", { class: "vc-panel", id: `vc-panel-${tab}`, role: "tabpanel", "aria-labelledby": `vc-tab-${tab}`, hidden: true });
      this.views[tab].mount(panel);
      this.panels.appendChild(panel);
    }
    const main = h("main", { class: "vc-main" }, this.tabbar, this.notices, this.headline.el, this.panels);
    this.root.appendChild(header);
    this.root.appendChild(this.banner);
    this.root.appendChild(h("div", { class: "vc-body" }, this.sidebar, this.backdrop, main));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && document.body.classList.contains("vc-drawer-open")) this.toggleDrawer(false);
    });
  }

  /** Phones: the sidebar is a drawer (closed at first, so the graph comes first). */
  toggleDrawer(open) {
    const now = document.body.classList.contains("vc-drawer-open");
    const next = open === undefined ? !now : open;
    document.body.classList.toggle("vc-drawer-open", next);
    this.menuButton.setAttribute("aria-expanded", next ? "true" : "false");
    if (next) this.ctl.region.focus({ preventScroll: true });
  }

  buildSidebar() {
    const f = (labelKey, control, hint, uses) =>
      h("label", { class: "vc-field", "data-uses": uses || null }, h("span", { class: "vc-field-label" }, t(labelKey)), control, hint ? h("small", null, hint) : null);
    this.ctl = {};
    const c = this.ctl;
    c.dataset = h("select", { id: "vc-dataset", onchange: () => this.onDatasetPicked(), onfocus: () => this.refreshMeta() });
    c.region = h("input", {
      id: "vc-region",
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": "vc-region-suggest",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: t("web.region.placeholder"),
      oninput: () => this.onRegionInput(),
      onchange: () => this.onRegionTyped(),
      onblur: () => setTimeout(() => this.closeSuggestions(), 150),
      onkeydown: (e) => this.onRegionKey(e),
    });
    c.suggest = h("ul", { id: "vc-region-suggest", class: "vc-suggest", role: "listbox", hidden: true });
    c.regionMsg = h("p", { id: "vc-region-msg", class: "vc-field-msg", role: "status", "aria-live": "polite", hidden: true });
    c.year = h("select", { id: "vc-year" });
    c.load = h("button", { type: "button", id: "vc-load", class: "vc-primary", onclick: () => this.load() }, t("web.load"));
    c.indicator = h("select", { id: "vc-indicator", onchange: () => this.update({ indicator: c.indicator.value }) });
    for (const ind of this.meta.indicators || []) c.indicator.appendChild(option(ind.code, ind.label));
    c.colour = h("select", { id: "vc-colour", onchange: () => this.update({ colour: c.colour.value }) },
      option("family", t("web.colour.family")), option("intensity", t("web.colour.intensity")));
    c.co2 = h("select", { id: "vc-co2unit", onchange: () => this.update({ co2: c.co2.value }, "replace") },
      option("mt", t("web.unit.mt")), option("10kt", t("web.unit.10kt")));
    c.mode = {};
    const modes = h("div", { class: "vc-radios", role: "radiogroup", "aria-label": t("web.mode") });
    for (const m of this.meta.modes || [{ code: "money" }, { code: "carbon" }]) {
      const input = h("input", { type: "radio", name: "vc-mode", value: m.code, id: `vc-mode-${m.code}`, onchange: () => this.update({ mode: m.code }) });
      c.mode[m.code] = input;
      modes.appendChild(h("label", { class: "vc-radio" }, input, t(`web.mode.${m.code}`)));
    }
    const num = (id, key, step) => {
      const spec = NUMERIC[key];
      return h("input", {
        id,
        type: "number",
        min: String(spec.min),
        max: spec.max === Infinity ? null : String(spec.max),
        step: String(step),
        onchange: (e) => {
          const v = Number(e.target.value);
          if (Number.isFinite(v) && v >= spec.min && v <= spec.max && (!spec.int || Number.isInteger(v))) this.update({ [key]: v });
          else {
            this.error(t("web.error.range", { name: t(`web.${key}`), min: spec.min, max: spec.max }));
            e.target.value = String(this.state[key]);
          }
        },
      });
    };
    c.top = num("vc-top", "top", 0.5);
    c.keep = num("vc-keep", "keep", 1);
    const slider = (id, key, min, max, step) =>
      h("input", {
        id,
        type: "range",
        min: String(min),
        max: String(max),
        step: String(step),
        oninput: (e) => this.views.network.setForce({ [key]: Number(e.target.value) }),
        onchange: (e) => this.update({ [key]: Number(e.target.value) }, "replace"),
      });
    c.gravity = slider("vc-gravity", "gravity", 0, 1, 0.01);
    c.repulsion = slider("vc-repulsion", "repulsion", 10, 1000, 10);
    this.indicatorUnit = h("small", { id: "vc-indicator-unit" });

    const hon = h("details", { class: "vc-help", id: "vc-help" }, h("summary", null, t("web.help.title")),
      ...["load", "graph", "size", "links", "headline", "tabs", "share", "offline"].map((k) => h("p", null, t(`web.help.${k}`))));
    const ack = h("details", { class: "vc-ack", id: "vc-ack" }, h("summary", null, t("web.ack.title")),
      h("p", null, t("web.ack.intro")),
      ...["citation.mrio_2012_2017", "citation.mrio_2018_2020", "citation.inventory"]
        .filter((k) => this.hasText(`common.${k}`))
        .map((k) => h("p", { class: "vc-cite" }, t(`common.${k}`))),
      h("p", null, t("web.ack.reference")));
    this.dsCitation = h("p", { class: "vc-cite" });
    ack.appendChild(this.dsCitation);

    const regionField = h("div", { class: "vc-field" },
      h("label", { class: "vc-field-label", for: "vc-region" }, t("web.region")),
      h("div", { class: "vc-combo" }, c.region, c.suggest), c.regionMsg, h("small", null, t("web.region.hint")));
    this.fields = {
      indicator: f("web.indicator", c.indicator, this.indicatorUnit, "indicator"),
      colour: f("web.colour", c.colour, null, "colour"),
      co2: f("web.co2unit", c.co2, null, "co2"),
      mode: h("div", { class: "vc-field", "data-uses": "mode" }, h("span", { class: "vc-field-label" }, t("web.mode")), modes),
      top: f("web.top", c.top, t("web.top.hint"), "top"),
      keep: f("web.keep", c.keep, t("web.keep.hint"), "keep"),
    };
    const close = h("button", { type: "button", class: "vc-drawer-close", "aria-label": t("web.menu.close"), onclick: () => this.toggleDrawer(false) }, "×");
    return h(
      "aside",
      { class: "vc-sidebar", id: "vc-sidebar", "aria-label": t("web.sidebar") },
      close,
      h("fieldset", { class: "vc-group" }, h("legend", null, t("web.group.data")),
        f("web.dataset", c.dataset), regionField, f("web.year", c.year), c.load),
      (this.displayGroup = h("fieldset", { class: "vc-group", id: "vc-group-display" }, h("legend", null, t("web.group.display")),
        ...Object.values(this.fields))),
      (this.layoutGroup = h("fieldset", { class: "vc-group", id: "vc-group-layout", "data-uses": "layout" }, h("legend", null, t("web.group.layout")),
        f("web.gravity", c.gravity), f("web.repulsion", c.repulsion))),
      hon,
      ack,
    );
  }

  hasText(key) {
    return Object.prototype.hasOwnProperty.call(this.boot.catalog || {}, key);
  }

  /** Server mode: re-read /api/meta so that a dataset imported while the page is open shows up. */
  async refreshMeta() {
    if (this.boot.mode !== "server") return;
    try {
      const m = await this.src.fetchJson(this.src.url("meta", {}));
      if (m && m.generation !== this.meta.generation && Array.isArray(m.datasets)) {
        const picked = this.ctl.dataset.value;
        this.meta.generation = m.generation;
        this.meta.datasets = m.datasets;
        this.meta.inventories = m.inventories || [];
        withInventories(this.meta);
        if (m.sectors) this.meta.sectors = m.sectors;
        if (m.regions) {
          this.meta.regions = m.regions;
          this.search = searchIndex(this.meta.regions, PINYIN);
        }
        this.fillDatasets();
        if (m.datasets.some((d) => d.name === picked) || this.meta.datasets.some((d) => d.name === picked)) this.ctl.dataset.value = picked;
      }
    } catch (e) {
      console.warn("viscarbon: could not refresh the dataset list", e);
    }
  }

  fillDatasets() {
    const c = this.ctl;
    clear(c.dataset);
    for (const d of this.meta.datasets || []) {
      const label = d.synthetic ? `${d.name} (${t("web.synthetic_short")})` : d.name;
      c.dataset.appendChild(option(d.name, label, d.name === this.state.dataset));
    }
  }

  /** The regions of a dataset ({code, label, …} of /api/meta), e.g. only China for a national table. */
  regionsOf(dsName) {
    const codes = regionsOf(this.meta, dsName);
    return (this.meta.regions || []).filter((r) => codes.includes(r.code));
  }

  fillYears(dsName, year) {
    const c = this.ctl;
    clear(c.year);
    const ds = this.dataset(dsName);
    for (const y of (ds && ds.years) || []) c.year.appendChild(option(y, String(y), y === year));
  }

  syncControls() {
    const s = this.state;
    const c = this.ctl;
    this.fillDatasets();
    this.fillYears(s.dataset, s.year);
    const r = this.region(s.region);
    c.region.value = r ? this.regionOption(r) : s.region;
    this.setRegionMessage(null);
    c.indicator.value = s.indicator;
    const ind = this.indicator(s.indicator);
    this.indicatorUnit.textContent = ind ? t("web.indicator.unit", { unit: ind.unit_label || ind.unit }) : "";
    c.colour.value = s.colour;
    c.co2.value = s.co2;
    for (const [code, input] of Object.entries(c.mode)) input.checked = code === s.mode;
    c.top.value = String(s.top);
    c.keep.value = String(s.keep);
    c.gravity.value = String(s.gravity);
    c.repulsion.value = String(s.repulsion);
    const hon = this.honesty();
    this.dsCitation.textContent = hon.citation ? `${t("web.ack.dataset")}: ${hon.citation}` : "";
    if (hon.synthetic) {
      this.banner.hidden = false;
      this.banner.textContent = hon.banner || t("common.synthetic_demo");
    } else this.banner.hidden = true;
    document.title = `${t("common.app_name")} · ${this.regionLabel(s.region)} ${s.year}`;
    this.menuButton.querySelector(".vc-menu-label").textContent = `${this.regionLabel(s.region)} ${s.year}`;
  }

  /** Only the controls that act on the current tab are shown. */
  syncControlVisibility(tab) {
    const invOnly = inventoryOnly(this.meta, this.state.dataset);
    for (const [name, field] of Object.entries(this.fields)) {
      if (name === "co2") field.hidden = this.lang !== "zh-Hans";
      else field.hidden = invOnly || !USED_BY[name].includes(tab);
    }
    this.layoutGroup.hidden = invOnly || !USED_BY.layout.includes(tab);
    this.displayGroup.hidden = Object.values(this.fields).every((x) => x.hidden);
  }

  onDatasetPicked() {
    const ds = this.dataset(this.ctl.dataset.value);
    if (!ds) return;
    const keep = ds.years.includes(Number(this.ctl.year.value)) ? Number(this.ctl.year.value) : ds.years[ds.years.length - 1];
    this.fillYears(ds.name, keep);
    // a national table has one region (China): switch the province field to it
    const typed = this.regionFromInput(ds.name);
    const code = regionFor(this.meta, ds.name, typed.code || this.state.region);
    const r = this.region(code);
    if (r) this.ctl.region.value = this.regionOption(r);
    this.setRegionMessage(null);
  }

  // ---------- the province search ----------
  /** The search index of a dataset's regions. */
  indexFor(dsName) {
    const codes = regionsOf(this.meta, dsName);
    return this.search.filter((e) => codes.includes(e.code));
  }

  /** What the field names: {code} | {ambiguous: [codes]} | {none: true}. */
  regionFromInput(dsName) {
    return resolveRegion(this.indexFor(dsName || this.ctl.dataset.value), this.ctl.region.value);
  }

  onRegionInput() {
    const c = this.ctl;
    const hits = suggest(this.indexFor(c.dataset.value), c.region.value, 8);
    this.suggestions = hits;
    this.activeSuggestion = hits.length ? 0 : -1;
    this.setRegionMessage(null);
    clear(c.suggest);
    if (!c.region.value.trim()) return this.closeSuggestions();
    if (!hits.length) {
      this.closeSuggestions();
      this.setRegionMessage(t("web.region.none", { value: c.region.value.trim() }));
      return;
    }
    hits.forEach((hit, k) => {
      const r = hit.region;
      const other = this.lang === "zh-Hans" ? r.label_en : r.label_zh;
      c.suggest.appendChild(
        h("li", { role: "option", id: `vc-suggest-${r.code}`, "data-code": r.code, "aria-selected": k === 0 ? "true" : "false", class: k === 0 ? "active" : null,
          onmousedown: (e) => {
            e.preventDefault();
            this.pickSuggestion(k);
          } },
        h("span", { class: "vc-suggest-name" }, r.label), h("span", { class: "vc-suggest-code" }, r.code),
        h("span", { class: "vc-suggest-other" }, [other, hit.pinyin].filter((x) => x && x !== r.label).join(" · "))),
      );
    });
    c.suggest.hidden = false;
    c.region.setAttribute("aria-expanded", "true");
  }

  onRegionKey(e) {
    const c = this.ctl;
    const open = !c.suggest.hidden && this.suggestions && this.suggestions.length;
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!open) return this.onRegionInput();
      e.preventDefault();
      const n = this.suggestions.length;
      this.activeSuggestion = (this.activeSuggestion + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      [...c.suggest.children].forEach((li, k) => {
        li.classList.toggle("active", k === this.activeSuggestion);
        li.setAttribute("aria-selected", k === this.activeSuggestion ? "true" : "false");
      });
      c.region.setAttribute("aria-activedescendant", c.suggest.children[this.activeSuggestion].id);
    } else if (e.key === "Enter") {
      e.preventDefault();
      if (open && this.activeSuggestion >= 0 && this.regionFromInput().ambiguous) this.pickSuggestion(this.activeSuggestion);
      else this.onRegionTyped();
      this.load();
    } else if (e.key === "Escape") {
      this.closeSuggestions();
    }
  }

  pickSuggestion(k) {
    const hit = this.suggestions && this.suggestions[k];
    if (!hit) return;
    this.ctl.region.value = this.regionOption(hit.region);
    this.setRegionMessage(null);
    this.closeSuggestions();
  }

  closeSuggestions() {
    this.ctl.suggest.hidden = true;
    this.ctl.region.setAttribute("aria-expanded", "false");
    this.ctl.region.removeAttribute("aria-activedescendant");
  }

  /** The one message of the province field (replaced, never stacked; null hides it). */
  setRegionMessage(text) {
    const m = this.ctl.regionMsg;
    m.textContent = text || "";
    m.hidden = !text;
    this.ctl.region.setAttribute("aria-invalid", text ? "true" : "false");
  }

  onRegionTyped() {
    const found = this.regionFromInput(this.ctl.dataset.value);
    if (found.code) {
      this.ctl.region.value = this.regionOption(this.region(found.code));
      this.setRegionMessage(null);
    }
  }

  /** The Load button: take dataset, province and year from the sidebar. */
  load() {
    const ds = this.dataset(this.ctl.dataset.value) || this.dataset();
    const found = this.regionFromInput(ds.name);
    const typed = this.ctl.region.value.trim();
    if (!found.code) {
      if (found.ambiguous) {
        this.onRegionInput();
        this.setRegionMessage(t("web.region.ambiguous", { value: typed, count: found.ambiguous.length }));
      } else this.setRegionMessage(t("web.region.none", { value: typed }));
      return;
    }
    this.closeSuggestions();
    this.toggleDrawer(false);
    const year = Number(this.ctl.year.value);
    this.update({ dataset: ds.name, region: found.code, year: ds.years.includes(year) ? year : ds.years[ds.years.length - 1] });
  }

  gotoLanguage(lang, state) {
    const s = Object.assign({}, state || defaults(this.meta, lang), { lang });
    if (lang !== "zh-Hans") s.co2 = "mt";
    const query = stateToQuery(s, this.meta);
    if (this.boot.mode === "static") {
      const path = location.pathname;
      const file = lang === "zh-Hans" ? "index.zh-hans.html" : "index.en.html";
      const dir = path.endsWith("/") ? path : path.slice(0, path.lastIndexOf("/") + 1);
      location.assign(`${dir}${file}?${query}${location.hash}`);
    } else {
      location.assign(`${location.pathname}?${query}`);
    }
  }

  showTab(tab) {
    // an inventory-only dataset has the Inventory tab only; an IO dataset every other tab
    const invOnly = inventoryOnly(this.meta, this.state.dataset);
    for (const name of TABS) {
      const active = name === tab;
      this.tabButtons[name].hidden = invOnly ? name !== "inventory" : name === "inventory";
      this.tabButtons[name].setAttribute("aria-selected", active ? "true" : "false");
      this.tabButtons[name].classList.toggle("active", active);
      const panel = document.getElementById(`vc-panel-${name}`);
      if (panel) panel.hidden = !active;
    }
    document.body.dataset.vcTab = tab;
    this.syncControlVisibility(tab);
    const btn = this.tabButtons[tab];
    if (btn && btn.scrollIntoView && this.tabbar.scrollWidth > this.tabbar.clientWidth) btn.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  // ---------- notices ----------
  showProblems(problems) {
    this.urlNotices = problems.map((p) =>
      t("web.error.param", { param: p.param, value: p.value, allowed: p.allowed }),
    );
    this.renderNotices();
  }

  showViewNotices() {
    const v = this.view;
    const out = [];
    if (v.status === "missing") out.push({ kind: "missing", text: v.status_note || t("common.missing_inventory") });
    else if (v.status === "imputed") out.push({ kind: "info", text: v.status_note || t("common.imputed") });
    if (v.reconciliation && v.reconciliation.note) out.push({ kind: "info", text: v.reconciliation.note });
    if (v.isolated) out.push({ kind: "info", text: t("web.isolated") });
    // real data first: what else to import for the other tabs (the page opened on this dataset)
    if (this.meta.hint && this.state.dataset === (this.meta.defaults || {}).dataset) out.push({ kind: "info", text: this.meta.hint });
    this.viewNotices = out;
    this.errors = [];
    this.renderNotices();
    this.syncControls();
  }

  showInventoryNotices() {
    this.viewNotices = [{ kind: "info", text: t("web.inventory.only_note", { tab: t("web.tab.inventory") }) }];
    this.errors = [];
    this.renderNotices();
    this.syncControls();
  }

  /** An error notice: the same text is shown once, each can be dismissed, at most two stay. */
  error(text) {
    this.errors = this.errors.filter((x) => x !== text).concat([text]).slice(-2);
    this.renderNotices();
  }

  renderNotices() {
    clear(this.notices);
    const dismiss = (list, text) =>
      h("button", { type: "button", class: "vc-dismiss", "aria-label": t("web.dismiss"), onclick: () => {
        this[list] = (this[list] || []).filter((x) => x !== text);
        this.renderNotices();
      } }, "×");
    for (const text of this.urlNotices || []) this.notices.appendChild(h("div", { class: "vc-notice vc-warn", role: "alert" }, h("span", null, text), dismiss("urlNotices", text)));
    for (const text of this.errors || []) this.notices.appendChild(h("div", { class: "vc-notice vc-error", role: "alert" }, h("span", null, text), dismiss("errors", text)));
    for (const n of this.viewNotices || []) this.notices.appendChild(h("div", { class: `vc-notice vc-${n.kind}` }, n.text));
  }

  /** True for a dataset with one region (a national table): no map, no inter-regional trade. */
  singleRegion(dsName) {
    const ds = this.dataset(dsName);
    return !!ds && (ds.single_region === true || regionsOf(this.meta, ds.name).length === 1);
  }

  /** For tests: the texts drawn in the charts of a tab (each chart replayed as SVG). */
  chartTexts(tab) {
    const panel = document.getElementById(`vc-panel-${tab}`);
    return this.boxes
      .filter((b) => b.chart && panel.contains(b.el) && b.plot.offsetParent !== null && !b.chart.isDisposed())
      .map((b) => {
        const fig = b.figure("svg");
        const texts = [...(fig ? fig.inner : "").matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
        return { id: b.id, texts };
      });
  }

  /** A fresh ECharts instance for a chart element (canvas renderer). */
  chart(el) {
    return echarts.init(el, null, { renderer: "canvas" });
  }
}
