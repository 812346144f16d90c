// PNG and SVG downloads of a chart: the option of the live chart is replayed in an
// off-screen instance (canvas for PNG, the SVG renderer for SVG) with the title, units,
// source, citation and synthetic flag written underneath; force layouts keep their
// current node positions.
import { echarts, FONT } from "./charts.js";
import { saveBlob } from "./downloads.js";

const FOOTER = 86;

function footerLines(meta) {
  const lines = [];
  if (meta.synthetic === "true") lines.push(meta.synthetic_note || "SYNTHETIC DEMO DATA");
  if (meta.units) lines.push(meta.units);
  lines.push(`${meta.source} — ${meta.citation}`);
  lines.push(meta.view_url);
  return lines;
}

function wrap(text, width) {
  // ~6.5 px per Latin character at 11 px; CJK characters count double
  const max = Math.max(40, Math.floor(width / 6.5));
  const out = [];
  let line = "";
  let len = 0;
  for (const ch of String(text)) {
    const w = /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1;
    if (len + w > max) {
      out.push(line);
      line = "";
      len = 0;
    }
    line += ch;
    len += w;
  }
  if (line) out.push(line);
  return out;
}

function exportOption(chart, meta, width) {
  const opt = chart.getOption();
  opt.animation = false;
  const series = (opt.series || []).map((s) => {
    if (s.type === "graph" && s.layout === "force") {
      const data = chart.getModel().getSeriesByIndex(0).getData();
      const nodes = s.data.map((d, i) => {
        const xy = data.getItemLayout(i);
        return Object.assign({}, d, xy ? { x: xy[0], y: xy[1] } : {});
      });
      return Object.assign({}, s, { layout: "none", data: nodes, force: undefined });
    }
    return s;
  });
  opt.series = series;
  for (const g of [].concat(opt.grid || [])) {
    if (g && typeof g.bottom === "number") g.bottom += FOOTER;
    else if (g) g.bottom = FOOTER + 40;
  }
  const lines = footerLines(meta).flatMap((l) => wrap(l, width - 20)).slice(0, 6);
  const graphic = [].concat(opt.graphic || []).filter((g) => g && g.elements === undefined);
  graphic.push({
    type: "text",
    left: 10,
    bottom: 6,
    z: 100,
    style: { text: lines.join("\n"), font: `11px ${FONT}`, fill: meta.synthetic === "true" ? "#8a1c00" : "#333333", lineHeight: 13 },
  });
  opt.graphic = graphic;
  opt.toolbox = [];
  opt.dataZoom = [];
  return opt;
}

export function exportChart(chart, kind, meta, filename) {
  const width = chart.getWidth();
  const height = chart.getHeight() + FOOTER;
  const div = document.createElement("div");
  div.style.cssText = `position:absolute;left:-10000px;top:0;width:${width}px;height:${height}px`;
  document.body.appendChild(div);
  const inst = echarts.init(div, null, { renderer: kind === "svg" ? "svg" : "canvas", width, height });
  try {
    inst.setOption(exportOption(chart, meta, width));
    if (kind === "svg") {
      let svg = inst.renderToSVGString();
      const desc = Object.entries(meta)
        .map(([k, v]) => `${k}: ${v}`)
        .join("\n")
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;");
      svg = svg.replace(/^<svg([^>]*)>/, (m) => `${m}<desc>${desc}</desc>`);
      saveBlob(new Blob([svg], { type: "image/svg+xml" }), filename);
    } else {
      const url = inst.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#ffffff" });
      const bin = atob(url.split(",")[1]);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      saveBlob(new Blob([bytes], { type: "image/png" }), filename);
    }
  } finally {
    inst.dispose();
    div.remove();
  }
}
