/* Starts Swagger UI on /docs from a static file (no inline script, for a strict CSP). */
(() => {
  "use strict";
  const root = document.getElementById("swagger-ui");
  root.replaceChildren();
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // Never take a spec or config address from the page's query string (?url=, ?configUrl=):
    // /docs?url=... must not show someone else's API description as this reader's.
    queryConfigEnabled: false,
  });
})();
