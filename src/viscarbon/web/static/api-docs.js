// The self-hosted API docs (GET /api/docs): Swagger UI from the package, started from this
// file because the Content-Security-Policy allows no inline script. The online validator
// is off (validatorUrl: null), so the page contacts no other host.
window.ui = SwaggerUIBundle({
  url: "/api/openapi.json",
  dom_id: "#swagger-ui",
  validatorUrl: null,
  deepLinking: false,
  tryItOutEnabled: true,
});
