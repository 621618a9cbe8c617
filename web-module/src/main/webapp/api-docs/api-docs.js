// The server's MicroProfile OpenAPI document (META-INF/openapi.yaml of the web module), served at
// /openapi on every server, beside this page.
window.ui = SwaggerUIBundle({
    url: '/openapi',
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    deepLinking: true
});
