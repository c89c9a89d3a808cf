/** `/docs`: the OpenAPI document rendered by Swagger UI, served from the installed package (no CDN). */
import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

const PAGE = (title: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title} — API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="api"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#api', deepLinking: true });`;

export function apiDocs(title: string): Router {
  const router = Router();
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE(title));
  });
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(INIT);
  });
  router.use(
    '/docs/assets',
    express.static(getAbsoluteFSPath(), { index: false, immutable: true, maxAge: '1d' }),
  );
  return router;
}
