// Data access for both modes of the same bundle:
//  * server: fetch(`${apiBase}/<endpoint>?<params>`) (JSON, errors as {"error": ...});
//  * static (file:// or any static host): inject <script src="<dataBase><key>.js"> files that
//    call window.VISCARBON_DATA_CB(key, payload); no fetch, no ES modules.
// Keys follow docs/api.md: the endpoint, then its parameters in a fixed order, joined by "/".
import { expand } from "./compact.js";

const KEY_PARAMS = {
  view: ["dataset", "year", "region"],
  network: ["dataset", "year", "region", "mode", "top", "keep"],
  provinces: ["dataset", "year", "indicator"],
  trade: ["dataset", "year", "region"],
  trends: ["dataset", "region", "indicator"],
  "inventory-trend": ["dataset", "region"],
  inventory: ["dataset", "region"],
  "supply-chains": ["dataset", "year", "region", "sector"],
  sda: ["dataset", "region", "base", "year"],
};

export function dataKey(endpoint, params) {
  return [endpoint, ...(KEY_PARAMS[endpoint] || []).map((p) => params[p])].join("/");
}

export class DataError extends Error {
  constructor(message, status, payload) {
    super(message);
    this.status = status;
    this.payload = payload || null;
  }
}

export class DataSource {
  constructor(boot) {
    this.mode = boot.mode === "static" ? "static" : "server";
    this.apiBase = boot.apiBase || "/api";
    this.dataBase = boot.dataBase || "data/";
    this.lang = boot.lang || "en";
    this.cache = new Map(); // key → Promise<payload>
    this.waiting = new Map(); // static: key → {resolve, reject}
    if (this.mode === "static") {
      window.VISCARBON_DATA_CB = (key, payload) => {
        const w = this.waiting.get(key);
        if (w) {
          this.waiting.delete(key);
          w.resolve(payload);
        }
      };
    }
  }

  /** The payload of `endpoint` for `params` (cached per key and language). */
  get(endpoint, params) {
    const key = this.mode === "static" ? dataKey(endpoint, params) : this.url(endpoint, params);
    if (this.cache.has(key)) return this.cache.get(key);
    const p = this.mode === "static" ? this.loadStatic(dataKey(endpoint, params)) : this.fetchJson(key);
    this.cache.set(key, p);
    p.catch(() => this.cache.delete(key));
    if (this.cache.size > 200) this.cache.delete(this.cache.keys().next().value);
    return p;
  }

  url(endpoint, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
    q.set("lang", this.lang);
    return `${this.apiBase}/${endpoint}?${q.toString()}`;
  }

  async fetchJson(url) {
    let res;
    try {
      res = await fetch(url, { headers: { Accept: "application/json" } });
    } catch (e) {
      throw new DataError(String(e && e.message ? e.message : e), 0);
    }
    let body = null;
    try {
      body = await res.json();
    } catch (e) {
      body = null;
    }
    if (!res.ok) throw new DataError((body && body.error) || `HTTP ${res.status}`, res.status, body);
    return body;
  }

  /** A static payload with its language-neutral parts (`$shared`, data/shared/) merged in. */
  async loadStatic(key) {
    const payload = await this.loadScript(key);
    const shared = payload && payload.$shared;
    if (!shared) return expand(payload);
    const parts = await Promise.all(shared.map((k) => this.loadScript(`shared/${k}`, `${this.dataBase}../shared/${k}.js`)));
    const merged = Object.assign({}, payload, ...parts);
    delete merged.$shared;
    return expand(merged);
  }

  loadScript(key, src) {
    return new Promise((resolve, reject) => {
      this.waiting.set(key, { resolve, reject });
      const s = document.createElement("script");
      s.src = src || `${this.dataBase}${key}.js`;
      s.async = true;
      s.onload = () => {
        s.remove();
        const w = this.waiting.get(key);
        if (w) {
          this.waiting.delete(key);
          reject(new DataError(`data file ${s.src} did not provide ${key}`, 404));
        }
      };
      s.onerror = () => {
        s.remove();
        this.waiting.delete(key);
        reject(new DataError(`data file not found: ${this.dataBase}${key}.js`, 404));
      };
      document.head.appendChild(s);
    });
  }
}
