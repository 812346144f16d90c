// The headline strip's tiles from the `headline` block of the province-year bundle
// (/api/view; the same figures as /api/headline). Pure: numbers go through the one formatter
// (core/format.js) and come out tagged with their unit; each tile has a tooltip saying how it
// is computed (catalog web.headline.*.how).
import { t } from "./i18n.js";
import { escapeHtml, numHtml, shareHtml, changeHtml, countHtml, htmlText } from "./format.js";

/**
 * [{code, label, html, note (html), title}] for HeadlineStrip.set(); [] without a block.
 * h: the headline block; region: the province's label.
 */
export function headlineTiles(h, region) {
  if (!h) return [];
  const tiles = [];
  // no inventory for the region (Tibet): its CO2 is unknown, said once instead of dashes
  const unknown = h.production_mt === null ? escapeHtml(t("common.missing_inventory")) : null;
  tiles.push({
    code: "production",
    label: t("web.headline.production"),
    html: numHtml(h.production_mt, "mt"),
    note: unknown || htmlText("web.headline.production_parts", {}, { industry: numHtml(h.industry_mt, "mt"), households: numHtml(h.households_mt, "mt") }),
    title: t("web.headline.production.how"),
  });
  tiles.push({
    code: "consumption",
    label: t("web.headline.consumption"),
    html: numHtml(h.consumption_mt, "mt"),
    note: htmlText("web.headline.consumption_note", { region }, {}),
    title: t("web.headline.consumption.how"),
  });
  const change = h.previous_year !== null && h.intensity_change !== null
    ? htmlText("web.headline.intensity_change", { year: h.previous_year }, { change: changeHtml(h.previous_intensity_t_per_10k_yuan, h.intensity_t_per_10k_yuan) })
    : htmlText("web.headline.intensity_no_previous", {}, {});
  tiles.push({
    code: "intensity",
    label: t("web.headline.intensity"),
    html: numHtml(h.intensity_t_per_10k_yuan, "t_per_10k_yuan"),
    note: change,
    title: t("web.headline.intensity.how"),
  });
  // a national table (one region): no rank, no share of the nation to speak of
  if (h.ranked <= 1 && h.rank !== null) return tiles;
  tiles.push({
    code: "rank",
    label: t("web.headline.rank"),
    html: h.rank === null ? countHtml(null) : htmlText("web.headline.rank_value", {}, { rank: countHtml(h.rank, "rank"), of: countHtml(h.ranked) }),
    note: htmlText("web.headline.rank_note", {}, {}),
    title: t("web.headline.rank.how"),
  });
  tiles.push({
    code: "share",
    label: t("web.headline.share"),
    html: shareHtml(h.share_of_nation),
    note: h.national_mt === null ? null : htmlText("web.headline.share_note", {}, { national: numHtml(h.national_mt, "mt") }),
    title: t("web.headline.share.how"),
  });
  return tiles;
}
