/// <reference types="node" />
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The two domain rules of SmartHR's eslint-plugin-smarthr, enforced without ESLint (the project has none;
// see frontend/README.md): `no-import-other-domain` (a domain under src/features/ does not import another
// domain) and `require-barrel-import` (code outside a domain imports it through its index.ts). And the
// shared layers (api, components, i18n) import no domain and not the app shell.

const SRC = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import of a file, resolved to a path under src/ (without extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from\s+|import\s*\(?\s*|vi\.mock\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    out.push(relative(SRC, resolve(dirname(file), m[1])).split(sep).join('/'));
  }
  return out;
}

const rel = (f: string) => relative(SRC, f).split(sep).join('/');
const domainOf = (path: string) => /^features\/([^/]+)/.exec(path)?.[1];
const files = sources(SRC).map((f) => ({ path: rel(f), imports: importsOf(f) }));

describe('domains (src/features/*)', () => {
  it('each has a barrel', () => {
    const domains = new Set(files.map((f) => domainOf(f.path)).filter(Boolean));
    expect(domains.size).toBeGreaterThan(0);
    for (const d of domains) expect(files.some((f) => f.path === `features/${d}/index.ts`), d).toBe(true);
  });

  it('no-import-other-domain: a domain does not import another domain', () => {
    const bad = files.flatMap((f) => {
      const own = domainOf(f.path);
      if (!own) return [];
      return f.imports.filter((i) => domainOf(i) && domainOf(i) !== own).map((i) => `${f.path} → ${i}`);
    });
    expect(bad).toEqual([]);
  });

  it('require-barrel-import: code outside a domain imports it through its index.ts', () => {
    const bad = files.flatMap((f) =>
      f.imports
        .filter((i) => {
          const d = domainOf(i);
          return d && d !== domainOf(f.path) && i !== `features/${d}` && i !== `features/${d}/index`;
        })
        .map((i) => `${f.path} → ${i}`),
    );
    expect(bad).toEqual([]);
  });

  it('the shared layers (api, components, i18n) import neither a domain nor the app shell', () => {
    const shared = files.filter((f) => /^(api|components|i18n)\//.test(f.path));
    expect(shared.length).toBeGreaterThan(0);
    const bad = shared.flatMap((f) =>
      f.imports.filter((i) => i.startsWith('features/') || i.startsWith('app/')).map((i) => `${f.path} → ${i}`),
    );
    expect(bad).toEqual([]);
  });
});
