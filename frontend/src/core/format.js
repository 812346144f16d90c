// Values with their units; money in 10,000 yuan also shown in 100 million yuan.
import { fmt } from "./i18n.js";

export function escapeHtml(s) {
  return String(s === null || s === undefined ? "" : s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** "53,520,000 10,000 yuan (5,352 100 million yuan)"; "–" (and no unit) when unknown. */
export function withUnit(value, unit, units) {
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const label = (units && units[unit]) || unit || "";
  let s = `${fmt(value)} ${label}`.trim();
  if (unit === "10k_yuan" && Math.abs(value) >= 1e4) {
    const big = (units && units["100m_yuan"]) || "100m_yuan";
    s += ` (${fmt(value / 1e4)} ${big})`;
  }
  return s;
}
