// The city pathway panel (/api/city-pathway), mounted by the City tab into
// <section id="city-pathway">: one city's CO2 to 2060 under a scenario — the inventory
// history, the baseline, the scenario (reconciled to the province's roadmap), markers at
// the peak, 2030 and 2060, the city's share of its province (right axis) and the coverage
// note (complete / partly covered province / not reconciled), all from the one payload.
//
//   import { renderCityPathway } from "./city_pathway.js";
//   await renderCityPathway(el, { dataset, year, city, lang, scenario });
//
// Self-contained: it builds its own box in `el` (cleared first), fetches through the
// given DataSource (opts.source) or its own, formats with core/format.js and labels with
// the web catalog (web.city_pathway.*).
import { h, clear } from "../core/dom.js";
import { t } from "../core/i18n.js";
import { ChartBox } from "../core/widgets.js";
import { DataSource } from "../core/datasource.js";
import { cityPathwayOption, cityPathwayNotes, cityPathwayParams } from "./city_pathway_chart.js";

export { cityPathwayOption, cityPathwayNotes, cityPathwayParams };

let ownSource = null;

/**
 * Draw the pathway of `city` of city dataset `dataset` under `scenario` into `el`.
 * opts: {dataset, year, city, lang, scenario, provinceDataset, source (a DataSource), app}.
 * Resolves to {box, data} once drawn; a failed request leaves the error in the element.
 */
export async function renderCityPathway(el, opts) {
  const { year, lang, city } = opts;
  clear(el);
  const source = opts.source || (ownSource && ownSource.lang === (lang || "en") ? ownSource : (ownSource = new DataSource({ mode: "server", lang: lang || "en" })));
  const app = opts.app || {};
  const box = new ChartBox(app, { id: `city-pathway`, cls: "vc-cp-chart", getMeta: () => ({ title: box.heading.textContent, units: "Mt CO2" }) });
  const text = h("div", { class: "vc-cp-text", "aria-live": "polite" });
  el.appendChild(h("div", { class: "vc-city-pathway", "data-city": city || "" }, box.el, text));
  box.setTitle(t("web.city_pathway.loading"));
  let d;
  try {
    d = await source.get("city-pathway", cityPathwayParams(opts));
  } catch (e) {
    box.setTitle(t("web.city_pathway.title_none"));
    text.textContent = t("web.error.load", { what: t("web.city_pathway.what"), message: e && e.message ? e.message : String(e) });
    box.clear();
    return { box, data: null, error: e };
  }
  box.setTitle(t("web.city_pathway.title", { city: d.city_label, province: d.province_label || "–" }));
  box.plot.style.height = "320px";
  const narrow = el.clientWidth > 0 && el.clientWidth < 560;
  box.set(cityPathwayOption(d, { year, narrow }));
  text.innerHTML = cityPathwayNotes(d);
  return { box, data: d };
}
