// Starts Swagger UI on /api/v3/docs/ with the settings the page carries (cms/api/docs.py); no inline script,
// so the page works under its Content-Security-Policy.
window.addEventListener("DOMContentLoaded", function () {
  var settings = JSON.parse(document.getElementById("api-docs-settings").textContent);
  window.ui = SwaggerUIBundle(
    Object.assign({ dom_id: "#swagger-ui", presets: [SwaggerUIBundle.presets.apis] }, settings)
  );
});
