/**
 * The institution's web page: `GET /` answers the role's `index.html` (the hospital's upload and result
 * page, or the regulator's explorer) and `/web/common/…` and `/web/<role>/…` its static files (plain
 * HTML, CSS and ES modules from the package's `web/` folder, no build step). The pages talk only to this
 * gateway's own API with the user's bearer token; a strict Content-Security-Policy keeps every script,
 * style and connection same-origin.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router, type NextFunction, type Request, type Response } from 'express';

/** `gateway-app/web`: from `dist/http` (compiled) and `src/http` (tsx) alike. */
export const WEB_ROOT = join(__dirname, '..', '..', 'web');

export const PAGE_CSP =
  "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; " +
  "connect-src 'self'; frame-ancestors 'none'";

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

function pageHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
}

export function webPages(role: 'hospital' | 'regulator', institution: string): Router {
  // Read once: a gateway whose page is missing fails at start, not on the first visit.
  const page = readFileSync(join(WEB_ROOT, role, 'index.html'), 'utf8').replaceAll(
    '{{institution}}',
    escapeHtml(institution),
  );
  const router = Router();
  router.get('/', pageHeaders, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.type('html').send(page);
  });
  const assets = { index: false, redirect: false, maxAge: 0, dotfiles: 'ignore' } as const;
  router.use('/web/common', pageHeaders, express.static(join(WEB_ROOT, 'common'), assets));
  router.use(`/web/${role}`, pageHeaders, express.static(join(WEB_ROOT, role), assets));
  return router;
}
