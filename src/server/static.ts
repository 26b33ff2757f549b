// The desk (the web app built into dist/web) served by the same server as the API.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Api } from './context.ts';

/** The project's root: the nearest folder above this module holding Ingot's package.json. */
export function projectRoot(from = import.meta.dirname): string {
  let folder = from;
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest) && /"name":\s*"ingot"/.test(readFileSync(manifest, 'utf8'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) return join(import.meta.dirname, '..', '..');
    folder = parent;
  }
}

/** Where `npm run build:web` puts the desk. */
export function webRoot(): string {
  return join(projectRoot(), 'dist', 'web');
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Ingot</title>
<p>The desk is not built. Run <code>npm run build:web</code> (or <code>npm start</code>), then reload.
The API is here: <a href="/docs">/docs</a>.</p>`;

/** Serves the desk at `/`: hashed assets cached for good, index.html always revalidated. */
export async function registerDesk(app: Api, root = webRoot()): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html').send(NOT_BUILT),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    // Files are looked up per request, so a rebuilt desk is served without a restart.
    wildcard: true,
    index: ['index.html'],
    setHeaders(response, path) {
      const immutable = path.includes(`${join('assets', '')}`);
      response.setHeader('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
