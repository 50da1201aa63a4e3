// Builds web/static/dist from the project's own sources and the pinned npm packages:
// the stylesheet (Sass), GOV.UK Frontend's fonts, images and script, HTMX, Swagger UI and axe-core.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const nodeModules = join(root, "node_modules");
const dist = join(root, "web", "static", "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "js"), { recursive: true });
mkdirSync(join(dist, "css"), { recursive: true });

const css = sass.compile(join(root, "web", "static", "scss", "exchange.scss"), {
  loadPaths: [nodeModules],
  style: "compressed",
  quietDeps: true,
});
writeFileSync(join(dist, "css", "exchange.css"), css.css);

const govuk = join(nodeModules, "govuk-frontend", "dist", "govuk");
cpSync(join(govuk, "assets", "images"), join(dist, "images"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(dist, "js", "govuk-frontend.min.js"));
cpSync(join(nodeModules, "htmx.org", "dist", "htmx.min.js"), join(dist, "js", "htmx.min.js"));
cpSync(join(root, "web", "static", "js"), join(dist, "js"), { recursive: true });
cpSync(join(root, "web", "static", "images"), join(dist, "images"), { recursive: true });
for (const file of ["swagger-ui.css", "swagger-ui-bundle.js"]) {
  cpSync(join(nodeModules, "swagger-ui-dist", file), join(dist, "swagger", file));
}
console.log(`assets built in ${dist}`);
