/* Starts Swagger UI on /docs from a static file (no inline script, for a strict CSP). */
(() => {
  "use strict";
  const root = document.getElementById("swagger-ui");
  root.replaceChildren();
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
  });
})();
