// Bundle the dashboard into ONE classic IIFE script (app.js) and one style sheet (app.css)
// in ../src/viscarbon/web/static/dist/, and copy the self-hosted Swagger UI assets into
// dist/swagger/. Everything comes from the npm registry at build time; nothing from a CDN.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "src", "viscarbon", "web", "static", "dist");
mkdirSync(join(dist, "swagger"), { recursive: true });

const result = await build({
  entryPoints: { app: join(here, "src", "main.js") },
  bundle: true,
  format: "iife",
  target: ["es2019"],
  minify: true,
  legalComments: "eof",
  sourcemap: false,
  outdir: dist,
  metafile: true,
  logLevel: "warning",
  define: { "process.env.NODE_ENV": '"production"' },
});

for (const name of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(here, "node_modules", "swagger-ui-dist", name), join(dist, "swagger", name));
}
copyFileSync(
  join(here, "node_modules", "swagger-ui-dist", "LICENSE"),
  join(dist, "swagger", "LICENSE.txt"),
);

const sizes = Object.entries(result.metafile.outputs).map(([f, o]) => `${f}: ${o.bytes} bytes`);
writeFileSync(join(dist, "build-info.txt"), sizes.join("\n") + "\n");
console.log(sizes.join("\n"));
