// The dashboard controller: sidebar, tabs, URL state, data loading, notices.
import { echarts } from "./core/charts.js";
import { DataSource } from "./core/datasource.js";
import { h, clear, option } from "./core/dom.js";
import { setCatalog, t } from "./core/i18n.js";
import { TABS, parseState, stateToQuery, datasetByName, defaults, NUMERIC, regionsOf, regionFor, withInventories, inventoryOnly, tabFor } from "./core/state.js";
import { VIEWS } from "./views/index.js";

const LANG_NAMES = { en: "English", "zh-Hans": "简体中文" };

export class App {
  constructor(root, boot) {
    this.root = root;
    this.boot = boot;
    this.meta = withInventories(boot.meta);
    this.lang = boot.lang === "zh-Hans" ? "zh-Hans" : "en";
    setCatalog(boot.catalog, this.lang);
    this.src = new DataSource(boot);
    this.state = null;
    this.view = null;
    this.viewKey = null;
    this.token = 0;
    this.rendered = {};
    this.boxes = []; // every ChartBox and TableBox registers here (see settled())
    this.tables = [];
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
  regionLabel(code) {
    const r = (this.meta.regions || []).find((x) => x.code === code);
    return r ? r.label : code;
  }
  regionOption(r) {
    return r.option || `${r.code}:${r.label}`;
  }
  sectors(dsName) {
    const ds = this.dataset(dsName);
    const lists = this.meta.sectors || {};
    return (ds && lists[ds.sector_list]) || [];
  }
  family(code) {
    return (this.meta.families || []).find((f) => f.code === code) || { code, label: code, colour: "#777777" };
  }
  honesty() {
    const v = this.view;
    const ds = this.dataset();
    return {
      synthetic: v ? v.synthetic : ds ? ds.synthetic : this.meta.synthetic,
      citation: (v && v.citation) || (ds && ds.citation) || this.meta.citation || "",
      banner: (v && v.banner) || (ds && ds.banner) || null,
    };
  }
  /** Metadata written into every download. */
  downloadMeta(extra) {
    const hon = this.honesty();
    const meta = {
      title: document.title,
      dataset: this.state.dataset,
      year: this.state.year,
      region: `${this.state.region} (${this.regionLabel(this.state.region)})`,
      synthetic: hon.synthetic ? "true" : "false",
    };
    if (hon.synthetic) meta.synthetic_note = hon.banner || t("common.synthetic_demo");
    Object.assign(meta, extra || {});
    meta.source = t("web.download.source");
    meta.citation = hon.citation;
    meta.generated_by = "viscarbon";
    meta.view_url = location.href;
    return meta;
  }

  // ---------- start ----------
  start() {
    this.build();
    const { state, problems } = parseState(location.search, this.meta, this.lang);
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
    window.addEventListener("resize", () => this.resize());
    this.apply(state, problems.length ? null : "replace");
  }

  /** Make `next` the current view; how = "push" | "replace" | null (history untouched). */
  async apply(next, how) {
    next.tab = tabFor(this.meta, next.dataset, next.tab);
    this.state = next;
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
        this.showInventoryNotices();
      }
    } else if (key !== this.viewKey) {
      this.setBusy(true);
      try {
        const view = await this.src.get("view", { dataset: next.dataset, year: next.year, region: next.region });
        if (token !== this.token) return;
        this.view = view;
        this.viewKey = key;
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
    for (const v of Object.values(this.views)) if (v.resize) v.resize();
  }

  // ---------- layout ----------
  build() {
    clear(this.root);
    const other = this.lang === "zh-Hans" ? "en" : "zh-Hans";
    this.banner = h("div", { class: "vc-banner", role: "status", hidden: true });
    this.notices = h("div", { class: "vc-notices", "aria-live": "polite" });
    const header = h(
      "header",
      { class: "vc-header" },
      h("div", { class: "vc-brand" }, h("strong", null, t("common.app_name")), h("span", null, t("common.tagline"))),
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
    this.tabbar = h("nav", { class: "vc-tabs", role: "tablist" });
    this.panels = h("div", { class: "vc-panels" });
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
    const main = h("main", { class: "vc-main" }, this.tabbar, this.notices, this.panels);
    this.root.appendChild(header);
    this.root.appendChild(this.banner);
    this.root.appendChild(h("div", { class: "vc-body" }, this.sidebar, main));
  }

  buildSidebar() {
    const f = (labelKey, control, hint) =>
      h("label", { class: "vc-field" }, h("span", { class: "vc-field-label" }, t(labelKey)), control, hint ? h("small", null, hint) : null);
    this.ctl = {};
    const c = this.ctl;
    c.dataset = h("select", { id: "vc-dataset", onchange: () => this.onDatasetPicked(), onfocus: () => this.refreshMeta() });
    c.region = h("input", {
      id: "vc-region",
      type: "text",
      list: "vc-region-list",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: t("web.region.placeholder"),
      onchange: () => this.onRegionTyped(),
      onkeydown: (e) => {
        if (e.key === "Enter") {
          this.onRegionTyped();
          this.load();
        }
      },
    });
    c.regionList = h("datalist", { id: "vc-region-list" });
    c.year = h("select", { id: "vc-year" });
    c.load = h("button", { type: "button", id: "vc-load", class: "vc-primary", onclick: () => this.load() }, t("web.load"));
    c.indicator = h("select", { id: "vc-indicator", onchange: () => this.update({ indicator: c.indicator.value }) });
    for (const ind of this.meta.indicators || []) {
      c.indicator.appendChild(option(ind.code, `${ind.label} (${ind.unit_label || ind.unit})`));
    }
    c.colour = h("select", { id: "vc-colour", onchange: () => this.update({ colour: c.colour.value }) },
      option("family", t("web.colour.family")), option("intensity", t("web.colour.intensity")));
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

    const hon = h("details", { class: "vc-help", id: "vc-help" }, h("summary", null, t("web.help.title")),
      ...["load", "graph", "size", "links", "tabs", "share", "offline"].map((k) => h("p", null, t(`web.help.${k}`))));
    const ack = h("details", { class: "vc-ack", id: "vc-ack" }, h("summary", null, t("web.ack.title")),
      h("p", null, t("web.ack.intro")),
      ...["citation.mrio_2012_2017", "citation.mrio_2018_2020", "citation.inventory"]
        .filter((k) => this.hasText(`common.${k}`))
        .map((k) => h("p", { class: "vc-cite" }, t(`common.${k}`))),
      h("p", null, t("web.ack.reference")));
    this.dsCitation = h("p", { class: "vc-cite" });
    ack.appendChild(this.dsCitation);

    return h(
      "aside",
      { class: "vc-sidebar", "aria-label": t("web.sidebar") },
      h("fieldset", { class: "vc-group" }, h("legend", null, t("web.group.data")),
        f("web.dataset", c.dataset), f("web.region", h("span", null, c.region, c.regionList), t("web.region.hint")), f("web.year", c.year), c.load),
      (this.displayGroup = h("fieldset", { class: "vc-group", id: "vc-group-display" }, h("legend", null, t("web.group.display")),
        f("web.indicator", c.indicator), f("web.colour", c.colour),
        h("div", { class: "vc-field" }, h("span", { class: "vc-field-label" }, t("web.mode")), modes),
        f("web.top", c.top, t("web.top.hint")), f("web.keep", c.keep, t("web.keep.hint")))),
      (this.layoutGroup = h("fieldset", { class: "vc-group", id: "vc-group-layout" }, h("legend", null, t("web.group.layout")),
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
        this.fillDatasets();
        if (m.datasets.some((d) => d.name === picked)) this.ctl.dataset.value = picked;
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

  /** The searchable province list of the sidebar: the regions of `dsName`. */
  fillRegions(dsName) {
    const c = this.ctl;
    if (this.regionListFor === dsName && c.regionList.childElementCount) return;
    this.regionListFor = dsName;
    clear(c.regionList);
    for (const r of this.regionsOf(dsName)) {
      const other = this.lang === "zh-Hans" ? r.label_en : r.label_zh;
      c.regionList.appendChild(option(this.regionOption(r), other && other !== r.label ? `${other}` : ""));
    }
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
    this.fillRegions(s.dataset);
    const r = (this.meta.regions || []).find((x) => x.code === s.region);
    c.region.value = r ? this.regionOption(r) : s.region;
    c.indicator.value = s.indicator;
    c.colour.value = s.colour;
    for (const [code, input] of Object.entries(c.mode)) input.checked = code === s.mode;
    c.top.value = String(s.top);
    c.keep.value = String(s.keep);
    c.gravity.value = String(s.gravity);
    c.repulsion.value = String(s.repulsion);
    // indicator, links and force layout belong to the MRIO tabs: hidden for an inventory-only dataset
    const invOnly = inventoryOnly(this.meta, s.dataset);
    this.displayGroup.hidden = invOnly;
    this.layoutGroup.hidden = invOnly;
    const hon = this.honesty();
    this.dsCitation.textContent = hon.citation ? `${t("web.ack.dataset")}: ${hon.citation}` : "";
    if (hon.synthetic) {
      this.banner.hidden = false;
      this.banner.textContent = hon.banner || t("common.synthetic_demo");
    } else this.banner.hidden = true;
    document.title = `${t("common.app_name")} · ${this.regionLabel(s.region)} ${s.year}`;
  }

  onDatasetPicked() {
    const ds = this.dataset(this.ctl.dataset.value);
    if (!ds) return;
    const keep = ds.years.includes(Number(this.ctl.year.value)) ? Number(this.ctl.year.value) : ds.years[ds.years.length - 1];
    this.fillYears(ds.name, keep);
    this.fillRegions(ds.name);
    // a national table has one region (China): switch the province field to it
    const typed = this.regionFromInput(ds.name);
    const code = regionFor(this.meta, ds.name, typed ? typed.code : this.state.region);
    const r = (this.meta.regions || []).find((x) => x.code === code);
    if (r) this.ctl.region.value = this.regionOption(r);
  }

  /** The region code typed or picked in the searchable field ("GD:广东", "gd", "广东", "Guangdong"). */
  regionFromInput(dsName) {
    const text = this.ctl.region.value.trim();
    if (!text) return null;
    const code = text.split(/[:：\s]/)[0].toUpperCase();
    const regions = dsName ? this.regionsOf(dsName) : this.meta.regions || [];
    let r = regions.find((x) => x.code === code);
    if (!r) {
      const low = text.toLowerCase();
      r = regions.find((x) => [x.label, x.label_en, x.label_zh].some((l) => l && l.toLowerCase() === low));
    }
    if (!r) {
      const low = text.toLowerCase();
      const hits = regions.filter((x) => [x.label_en, x.label_zh, x.label].some((l) => l && l.toLowerCase().includes(low)));
      if (hits.length === 1) r = hits[0];
    }
    return r || null;
  }

  onRegionTyped() {
    const r = this.regionFromInput(this.ctl.dataset.value);
    if (r) this.ctl.region.value = this.regionOption(r);
  }

  /** The Load button: take dataset, province and year from the sidebar. */
  load() {
    const ds = this.dataset(this.ctl.dataset.value) || this.dataset();
    const r = this.regionFromInput(ds.name);
    if (!r) {
      this.error(t("web.error.region", { value: this.ctl.region.value, allowed: regionsOf(this.meta, ds.name).join(", ") }));
      return;
    }
    const year = Number(this.ctl.year.value);
    this.update({ dataset: ds.name, region: r.code, year: ds.years.includes(year) ? year : ds.years[ds.years.length - 1] });
  }

  gotoLanguage(lang, state) {
    const s = Object.assign({}, state || defaults(this.meta, lang), { lang });
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

  error(text) {
    this.errors = (this.errors || []).concat([text]).slice(-3);
    this.renderNotices();
  }

  renderNotices() {
    clear(this.notices);
    for (const text of this.urlNotices || []) this.notices.appendChild(h("div", { class: "vc-notice vc-warn", role: "alert" }, text));
    for (const text of this.errors || []) this.notices.appendChild(h("div", { class: "vc-notice vc-error", role: "alert" }, text));
    for (const n of this.viewNotices || []) this.notices.appendChild(h("div", { class: `vc-notice vc-${n.kind}` }, n.text));
  }

  /** True for a dataset with one region (a national table): no map, no inter-regional trade. */
  singleRegion(dsName) {
    const ds = this.dataset(dsName);
    return !!ds && (ds.single_region === true || regionsOf(this.meta, ds.name).length === 1);
  }

  /** A fresh ECharts instance for a chart element (canvas renderer). */
  chart(el) {
    return echarts.init(el, null, { renderer: "canvas" });
  }
}
