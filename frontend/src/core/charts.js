// ECharts with only the charts and components the dashboard uses (tree-shaken by esbuild).
import * as echarts from "echarts/core";
import { GraphChart, SankeyChart, LineChart, BarChart, HeatmapChart, CustomChart, ScatterChart, TreeChart } from "echarts/charts";
import {
  TitleComponent,
  TooltipComponent,
  LegendComponent,
  GridComponent,
  VisualMapComponent,
  GraphicComponent,
  DataZoomComponent,
  MarkLineComponent,
} from "echarts/components";
import { CanvasRenderer, SVGRenderer } from "echarts/renderers";

echarts.use([
  GraphChart,
  SankeyChart,
  LineChart,
  BarChart,
  HeatmapChart,
  CustomChart,
  ScatterChart,
  TreeChart,
  TitleComponent,
  TooltipComponent,
  LegendComponent,
  GridComponent,
  VisualMapComponent,
  GraphicComponent,
  DataZoomComponent,
  MarkLineComponent,
  CanvasRenderer,
  SVGRenderer,
]);

export { echarts };

/**
 * Chart animations: on for people, off when automation drives the browser
 * (navigator.webdriver: the browser tests, the screenshots of the guides and bench/web.py),
 * so a screenshot never catches a half-drawn line or Sankey band and "drawn" means the
 * final picture. The force layout of the network still moves (that is the layout, not an
 * animation).
 */
export const ANIMATE = !(typeof navigator !== "undefined" && navigator.webdriver === true);

const CJK_FONTS = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei"';
const LATIN_FONTS = '"Segoe UI","Helvetica Neue",Arial,"Liberation Sans"';
/** The font stack of charts and figures: Chinese fonts first on the Chinese page; Latin
 * fonts first on the English page (CJK fonts draw ’ “ ” full-width), then the CJK fonts. */
export let FONT = `${CJK_FONTS},system-ui,sans-serif`;

export function setFontFor(lang) {
  FONT = lang === "zh-Hans" ? `${CJK_FONTS},system-ui,sans-serif` : `${LATIN_FONTS},${CJK_FONTS},system-ui,sans-serif`;
}

// Okabe-Ito (colour-blind safe) for categories; a sequential viridis-like ramp for values.
export const OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"];
export const SEQUENTIAL = ["#fde725", "#b5de2b", "#6ece58", "#35b779", "#1f9e89", "#26828e", "#31688e", "#3e4989", "#482878", "#440154"];
export const DIVERGING = ["#2166ac", "#67a9cf", "#d1e5f0", "#f7f7f7", "#fddbc7", "#ef8a62", "#b2182b"];
export const MISSING_GREY = "#c8c8c8";

/** Colour of `t` in [0, 1] along `ramp` (linear interpolation between stops). */
export function ramp(stops, t) {
  if (!Number.isFinite(t)) return MISSING_GREY;
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = hex(stops[i]);
  const b = hex(stops[i + 1]);
  const c = a.map((v, k) => Math.round(v + (b[k] - v) * f));
  return `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}

function hex(s) {
  return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
}

/** `hex` mixed with black (amount < 0) or white (amount > 0), |amount| ≤ 1. */
export function shade(colour, amount) {
  const c = hex(colour);
  const target = amount < 0 ? 0 : 255;
  const a = Math.abs(amount);
  return `#${c.map((v) => Math.round(v + (target - v) * a).toString(16).padStart(2, "0")).join("")}`;
}

export const SYMBOLS = ["circle", "rect", "triangle", "diamond", "roundRect", "pin", "arrow"];
const SHADES = [0, -0.35, 0.4, -0.6, 0.62, -0.15, 0.2];

/**
 * Styles of sectors in line charts that agree with the network's family colours: each sector
 * gets its family's colour (meta.families), sectors of the same family told apart by a
 * darker or lighter shade, a symbol and a dash. codes: in the order of the chart's series;
 * familyOf(code) → family code; families: /api/meta families. → Map code → {colour, symbol, dash}
 */
export function familyStyles(codes, familyOf, families) {
  const colourOf = new Map((families || []).map((f) => [f.code, f.colour]));
  const seen = new Map();
  const out = new Map();
  for (const code of codes) {
    if (out.has(code)) continue;
    const fam = familyOf(code);
    const k = seen.get(fam) || 0;
    seen.set(fam, k + 1);
    out.set(code, {
      colour: shade(colourOf.get(fam) || "#777777", SHADES[k % SHADES.length]),
      symbol: SYMBOLS[k % SYMBOLS.length],
      dash: k % 2 === 1 ? "dashed" : "solid",
    });
  }
  return out;
}

let measureCtx = null;
/** The width in pixels of `text` at `size` px in the dashboard's font (canvas measureText). */
export function textWidth(text, size, weight = "normal") {
  if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = `${weight} ${size}px ${FONT}`;
  return measureCtx.measureText(String(text)).width;
}

/**
 * The ECharts option of a tile grid (the province map of the Provinces tab, the province and
 * city tiles of the City tab): `tiles` [{value: [col, row, …], …}] on a grid of at least
 * `minCols` × `minRows` cells, each drawn by `drawTile(d, cell)` → the graphic children of
 * its group, `cell` = {x, y, w, h} its pixel box (top left, width, height). `tooltip` as in
 * ECharts. A rounded cell rectangle for `drawTile`: `tileRect(cell, style)`.
 */
export function tileGridOption(tiles, { tooltip, drawTile, minCols = 0, minRows = 0 }) {
  const maxCol = Math.max(minCols, ...tiles.map((x) => x.value[0] + 1));
  const maxRow = Math.max(minRows, ...tiles.map((x) => x.value[1] + 1));
  return {
    tooltip,
    grid: { left: 2, right: 2, top: 2, bottom: 2 },
    xAxis: { type: "value", min: 0, max: maxCol, show: false },
    yAxis: { type: "value", min: 0, max: maxRow, inverse: true, show: false },
    series: [
      {
        type: "custom",
        data: tiles,
        renderItem: (params, api) => {
          const d = tiles[params.dataIndex];
          const tl = api.coord([d.value[0], d.value[1]]);
          const br = api.coord([d.value[0] + 1, d.value[1] + 1]);
          return { type: "group", children: drawTile(d, { x: tl[0], y: tl[1], w: br[0] - tl[0], h: br[1] - tl[1] }) };
        },
      },
    ],
  };
}

/** A tile's rounded rectangle inset by 1.5 px in its cell, with `style` (fill, stroke …). */
export function tileRect(cell, style) {
  return { type: "rect", shape: { x: cell.x + 1.5, y: cell.y + 1.5, width: cell.w - 3, height: cell.h - 3, r: 3 }, style };
}
