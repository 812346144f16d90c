// Figures ready for a report: a chart as PNG or SVG with the title (province, year,
// indicator) in a band on top and the caption (units, source and citation, the synthetic
// flag, the link of the view) in its own band below, lines broken between words (core/wrap.js),
// never over the chart. The option of the live chart is replayed in an off-screen instance of
// the same size (canvas for PNG, the SVG renderer for SVG); the network is drawn where it
// stands (its layout is computed to rest, see views/network.js).
import { echarts, FONT } from "./charts.js";
import { saveBlob } from "./downloads.js";
import { wrapText } from "./wrap.js";

const PAD = 12;
const TITLE = { size: 16, weight: "bold", line: 21, colour: "#1d232a" };
const SUB = { size: 12, weight: "normal", line: 16, colour: "#5b6470" };
const CAPTION = { size: 11, weight: "normal", line: 15, colour: "#333333" };
const WARN = "#8a1c00";

let ctx2d = null;
function measurer(style) {
  if (!ctx2d) ctx2d = document.createElement("canvas").getContext("2d");
  const font = `${style.weight} ${style.size}px ${FONT}`;
  return (s) => {
    ctx2d.font = font;
    return ctx2d.measureText(s).width;
  };
}

/** The text lines of the two bands, wrapped to `width`: [{text, style, colour}]. */
export function bands(meta, width) {
  const max = width - 2 * PAD;
  const top = [];
  for (const l of wrapText(meta.title || "", max, measurer(TITLE))) top.push({ text: l, style: TITLE, colour: TITLE.colour });
  const sub = meta.subtitle || "";
  if (sub) for (const l of wrapText(sub, max, measurer(SUB))) top.push({ text: l, style: SUB, colour: SUB.colour });
  const bottom = [];
  const cap = (text, colour) => {
    for (const l of wrapText(text, max, measurer(CAPTION))) bottom.push({ text: l, style: CAPTION, colour });
  };
  if (meta.synthetic === "true") cap(meta.synthetic_note || "SYNTHETIC DEMO DATA", WARN);
  if (meta.status_note) cap(meta.status_note, WARN);
  if (meta.units) cap(meta.units, CAPTION.colour);
  if (meta.legend_note) cap(meta.legend_note, CAPTION.colour);
  cap([meta.source, meta.citation].filter(Boolean).join(" — "), CAPTION.colour);
  if (meta.view_url) cap(meta.view_url, "#5b6470");
  const height = (list) => (list.length ? PAD + list.reduce((n, l) => n + l.style.line, 0) + PAD / 2 : 0);
  return { top, bottom, topHeight: height(top), bottomHeight: height(bottom) };
}

function exportOption(chart, option) {
  const opt = option || chart.getOption();
  opt.animation = false;
  opt.series = (opt.series || []).map((s, k) => {
    if (s.type === "graph" && s.layout === "force") {
      // a force layout still moving: freeze it where it stands
      const data = chart.getModel().getSeriesByIndex(k).getData();
      const nodes = s.data.map((d, i) => Object.assign({}, d, data.getItemLayout(i) ? { x: data.getItemLayout(i)[0], y: data.getItemLayout(i)[1] } : {}));
      return Object.assign({}, s, { layout: "none", data: nodes, force: undefined });
    }
    return s;
  });
  opt.toolbox = [];
  opt.dataZoom = [];
  return opt;
}

function xml(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function svgLines(lines, y0) {
  let y = y0 + PAD;
  return lines
    .map((l) => {
      y += l.style.line;
      return `<text x="${PAD}" y="${y - (l.style.line - l.style.size) / 2 - 2}" font-family="${xml(FONT)}" font-size="${l.style.size}" font-weight="${l.style.weight}" fill="${l.colour}">${xml(l.text)}</text>`;
    })
    .join("");
}

function drawLines(ctx, lines, y0) {
  let y = y0 + PAD;
  ctx.textBaseline = "alphabetic";
  for (const l of lines) {
    y += l.style.line;
    ctx.font = `${l.style.weight} ${l.style.size}px ${FONT}`;
    ctx.fillStyle = l.colour;
    ctx.fillText(l.text, PAD, y - (l.style.line - l.style.size) / 2 - 2);
  }
}

/**
 * The figure of `chart`: {kind, width, height, chartHeight, svg (SVG text) | canvas (PNG),
 * save(filename)}. meta: {title, subtitle, dataset, synthetic, synthetic_note, units,
 * legend_note, source, citation, view_url, …}; every key also goes into the SVG's <desc>.
 */
export function exportChart(chart, kind, meta, option) {
  const width = chart.getWidth();
  const chartHeight = chart.getHeight();
  const b = bands(meta, width);
  const height = b.topHeight + chartHeight + b.bottomHeight;
  const div = document.createElement("div");
  div.style.cssText = `position:absolute;left:-10000px;top:0;width:${width}px;height:${chartHeight}px`;
  document.body.appendChild(div);
  const inst = echarts.init(div, null, { renderer: kind === "svg" ? "svg" : "canvas", width, height: chartHeight });
  try {
    inst.setOption(exportOption(chart, option));
    if (kind === "svg") {
      const inner = inst.renderToSVGString();
      const desc = Object.entries(meta).map(([k, v]) => `${k}: ${v}`).join("\n");
      const svg =
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
        `<desc>${xml(desc)}</desc><rect width="${width}" height="${height}" fill="#ffffff"/>` +
        `<g class="vc-fig-title">${svgLines(b.top, 0)}</g>` +
        `<g class="vc-fig-chart" transform="translate(0,${b.topHeight})">${inner}</g>` +
        `<line x1="${PAD}" x2="${width - PAD}" y1="${b.topHeight + chartHeight + 0.5}" y2="${b.topHeight + chartHeight + 0.5}" stroke="#d8dde3"/>` +
        `<g class="vc-fig-caption">${svgLines(b.bottom, b.topHeight + chartHeight)}</g></svg>`;
      return { kind, width, height, chartHeight, svg, inner, save: (name) => saveBlob(new Blob([svg], { type: "image/svg+xml" }), name) };
    }
    const ratio = 2;
    const canvas = document.createElement("canvas");
    canvas.width = width * ratio;
    canvas.height = height * ratio;
    const ctx = canvas.getContext("2d");
    ctx.scale(ratio, ratio);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, width, height);
    drawLines(ctx, b.top, 0);
    const img = inst.getRenderedCanvas({ pixelRatio: ratio, backgroundColor: "#ffffff" });
    ctx.drawImage(img, 0, b.topHeight, width, chartHeight);
    ctx.strokeStyle = "#d8dde3";
    ctx.beginPath();
    ctx.moveTo(PAD, b.topHeight + chartHeight + 0.5);
    ctx.lineTo(width - PAD, b.topHeight + chartHeight + 0.5);
    ctx.stroke();
    drawLines(ctx, b.bottom, b.topHeight + chartHeight);
    const dataUrl = canvas.toDataURL("image/png");
    const save = (name) => {
      const bin = atob(dataUrl.split(",")[1]);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      saveBlob(new Blob([bytes], { type: "image/png" }), name);
    };
    return { kind, width, height, chartHeight, dataUrl, save };
  } finally {
    inst.dispose();
    div.remove();
  }
}
