// The /docs page: Swagger UI over /openapi.json (assets served by Herald itself, nothing from a CDN),
// followed by the error-code catalogue. URLs are relative so the page also works behind a path prefix.
import { html } from "hono/html";
import { errorCatalogue } from "./error-catalogue.ts";

export function docsPage() {
  const rows = errorCatalogue().map(
    (e) => html`<tr id="error-${e.code}">
        <td data-label="Code"><code>${e.code}</code></td>
        <td data-label="HTTP">${e.status}</td>
        <td data-label="Meaning">${e.meaning}</td>
        <td data-label="What to do">${e.action}</td>
        <td data-label="Retry">${e.retry ? "yes" : "no"}</td>
      </tr>`,
  );
  return html`<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Herald API reference</title>
    <link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png" />
    <link rel="stylesheet" href="docs/assets/swagger-ui.css" />
    <link rel="stylesheet" href="docs/assets/docs.css" />
  </head>
  <body>
    <header class="herald-docs">
      <h1>Herald API reference</h1>
      <nav>
        <a href="openapi.json">OpenAPI 3.1 (openapi.json)</a>
        <a href="openapi/swagger2.json">Swagger 2.0 of the activity API (Power Platform custom connectors)</a>
        <a href="#error-codes">Error codes</a>
      </nav>
    </header>
    <main>
      <div id="swagger-ui"><p class="herald-docs">Loading the API reference…</p></div>
      <section id="error-codes" class="herald-docs">
        <h2>Error codes</h2>
        <p>
          Every error answers <code>{"error": {"code", "message", "requestId"}}</code> with the status below;
          <code>POST /v1/messages</code> adds a SendMessageResponse with <code>"status": "rejected"</code>.
          Every response carries <code>X-Request-Id</code>.
        </p>
        <table>
          <thead>
            <tr><th>Code</th><th>HTTP</th><th>Meaning</th><th>What to do</th><th>Retry</th></tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </section>
    </main>
    <script src="docs/assets/swagger-ui-bundle.js"></script>
    <script src="docs/assets/docs.js"></script>
  </body>
</html>`;
}

/** Starts Swagger UI; a file rather than an inline script, so a strict Content-Security-Policy holds. */
export const DOCS_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: new URL("openapi.json", document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    docExpansion: "list",
    // What low-code callers need first: the activity API, then the console's, then the operator's.
    tagsSorter: function (a, b) {
      var order = ["Activity", "Console", "Operator"];
      var rank = function (t) { return order.indexOf(t) < 0 ? order.length : order.indexOf(t); };
      return rank(a) - rank(b) || a.localeCompare(b);
    },
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
`;

export const DOCS_STYLE = `body { margin: 0; font-family: sans-serif; color: #3b4151; }
.herald-docs { max-width: 1460px; margin: 0 auto; padding: 0 20px; box-sizing: border-box; }
header.herald-docs { padding-top: 24px; }
header.herald-docs h1 { margin: 0 0 8px; font-size: 28px; }
header.herald-docs nav { display: flex; flex-wrap: wrap; gap: 18px; font-size: 14px; }
header.herald-docs a, section.herald-docs a { color: #4990e2; }
section.herald-docs { padding-bottom: 48px; }
section.herald-docs h2 { font-size: 24px; margin-top: 32px; }
section.herald-docs table { border-collapse: collapse; width: 100%; font-size: 14px; }
section.herald-docs th, section.herald-docs td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid #e3e3e3; }
section.herald-docs th { background: #f7f7f7; }
/* break-word, not anywhere: a code breaks only where it cannot fit, and columns size to whole codes. */
section.herald-docs code { font-size: 13px; overflow-wrap: break-word; }
.swagger-ui .opblock .opblock-summary-path { overflow-wrap: anywhere; word-break: normal; }
/* A phone shows each error code as a small card: five columns do not fit 390 px. */
@media (max-width: 640px) {
  .herald-docs { padding: 0 12px; }
  section.herald-docs thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  section.herald-docs table, section.herald-docs tbody, section.herald-docs tr, section.herald-docs td { display: block; width: 100%; box-sizing: border-box; }
  section.herald-docs tr { padding: 10px 0; border-bottom: 1px solid #e3e3e3; }
  section.herald-docs td { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: 8px; padding: 3px 0; border: 0; }
  section.herald-docs td::before { content: attr(data-label); font-weight: 600; color: #6b7280; }
  .swagger-ui .wrapper { padding: 0 12px; }
  .swagger-ui .info { margin: 24px 0; }
}
`;
