// The API reference at /api/docs: openapi.yaml rendered by Swagger UI (swagger-ui-dist, bundled
// here and served from the binary: no CDN, works offline and under the server's CSP). Descriptions
// are CommonMark; "Try it out" uses the browser's session (cookie + CSRF header) or a bearer token.
import SwaggerUIBundle from 'swagger-ui-dist/swagger-ui-es-bundle.js';
import 'swagger-ui-dist/swagger-ui.css';
import './docs.css';

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((c) => c.startsWith('hrbridge_csrf='))
    ?.slice('hrbridge_csrf='.length);
}

const root = document.getElementById('api-reference')!;
SwaggerUIBundle({
  domNode: root,
  url: root.dataset.specUrl ?? '/api/v1/openapi.yaml',
  // never call validator.swagger.io (offline, and nothing leaves the site)
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 1,
  defaultModelExpandDepth: 2,
  displayOperationId: true,
  tryItOutEnabled: false,
  withCredentials: true,
  requestInterceptor: (req: { method?: string; headers: Record<string, string> }) => {
    const token = csrfToken();
    if (token && req.method && !['GET', 'HEAD', 'OPTIONS'].includes(req.method.toUpperCase())) req.headers['X-CSRF-Token'] = token;
    return req;
  },
});
