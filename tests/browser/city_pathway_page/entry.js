// Test-only page (not shipped): mounts the city pathway panel the way the City tab will,
// in <section id="city-pathway">, with the web catalog of ?lang= (bundled by the browser
// test with esbuild from frontend/node_modules).
import en from "../../../src/viscarbon/i18n/catalogs/web.en.json";
import zh from "../../../src/viscarbon/i18n/catalogs/web.zh-Hans.json";
import { setCatalog } from "../../../frontend/src/core/i18n.js";
import { renderCityPathway } from "../../../frontend/src/views/city_pathway.js";

const q = new URLSearchParams(location.search);
const lang = q.get("lang") || "en";
const web = lang === "zh-Hans" ? zh : en;
setCatalog(Object.fromEntries(Object.entries(web).map(([k, v]) => [`web.${k}`, v])), lang);
const el = document.getElementById("city-pathway");
renderCityPathway(el, { dataset: q.get("dataset"), city: q.get("city"), scenario: q.get("scenario"), year: Number(q.get("year")) || null, lang })
  .then(async (res) => {
    if (res.box) await res.box.whenFinished();
    const opt = res.box && res.box.chart ? res.box.chart.getOption() : null;
    window.__cp = { status: res.data ? res.data.status : null, series: opt ? opt.series.map((s) => s.name) : [], marks: opt ? opt.series.filter((s) => s.type === "scatter").flatMap((s) => s.data.map((m) => m.name)) : [] };
    document.body.dataset.done = "1";
  });
