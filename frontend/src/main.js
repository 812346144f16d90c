// viscarbon dashboard: entry point of the classic IIFE bundle (no framework, no ES module
// at run time). Reads window.VISCARBON_BOOT (inlined by the server or the static export),
// keeps the whole view in the URL and draws it with ECharts and Tabulator.
import "./style.css";
import { App } from "./app.js";

function start() {
  const boot = window.VISCARBON_BOOT;
  const root = document.getElementById("vc-app");
  if (!root) return;
  if (!boot || !boot.meta) {
    root.textContent = "viscarbon: the page was opened without its data (VISCARBON_BOOT missing).";
    return;
  }
  try {
    window.__vcApp = new App(root, boot);
    window.__vcApp.start();
  } catch (e) {
    console.error(e);
    root.textContent = `viscarbon: ${e && e.message ? e.message : e}`;
  }
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
