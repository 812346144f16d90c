// Downloads built in the browser (works from file:// too): tables as CSV or XLSX with a
// metadata block (units, source and citation, synthetic flag), charts as PNG or SVG with
// the same facts written under the chart.
import { xlsxBytes } from "./xlsx.js";

export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.rel = "noopener";
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

function csvCell(v) {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : String(v);
  return /[",\r\n#]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV text: `# key: value` comment lines for the metadata, then a header row of column
 * codes, then one row per record (numbers unrounded).
 * columns: [{field, title, unit}] ; meta: {key: value}
 */
export function csvText(columns, rows, meta) {
  const lines = [];
  for (const [k, v] of Object.entries(meta)) {
    lines.push(`# ${k}: ${String(v).replace(/[\r\n]+/g, " ")}`);
  }
  const units = columns.filter((c) => c.unit).map((c) => `${c.field}=${c.unit}`);
  if (units.length) lines.push(`# units: ${units.join("; ")}`);
  lines.push(columns.map((c) => csvCell(c.field)).join(","));
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c.field])).join(","));
  return lines.join("\r\n") + "\r\n";
}

export function downloadCsv(columns, rows, meta, filename) {
  // A byte-order mark lets spreadsheet programs read the Chinese labels as UTF-8.
  saveBlob(new Blob(["\ufeff", csvText(columns, rows, meta)], { type: "text/csv;charset=utf-8" }), filename);
}

export function xlsxFor(columns, rows, meta) {
  const header = columns.map((c) => (c.unit ? `${c.title} (${c.unit})` : c.title));
  const data = [columns.map((c) => c.field), header, ...rows.map((r) => columns.map((c) => r[c.field]))];
  const metaRows = [["key", "value"], ...Object.entries(meta).map(([k, v]) => [k, String(v)])];
  for (const c of columns) if (c.unit) metaRows.push([`unit:${c.field}`, c.unit]);
  return xlsxBytes([
    { name: "data", rows: data },
    { name: "metadata", rows: metaRows },
  ]);
}

export function downloadXlsx(columns, rows, meta, filename) {
  const bytes = xlsxFor(columns, rows, meta);
  saveBlob(
    new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }),
    filename,
  );
}

export function safeName(parts) {
  return parts
    .filter((p) => p !== undefined && p !== null && p !== "")
    .map((p) => String(p).replace(/[^A-Za-z0-9_.-]+/g, "-"))
    .join("_");
}
