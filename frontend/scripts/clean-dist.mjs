// Empties dist/ but keeps dist/.gitkeep: the Go server embeds frontend/dist and
// needs the directory (and that file) to exist even before the first build.
import { mkdirSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
mkdirSync(dist, { recursive: true });
for (const name of readdirSync(dist)) {
  if (name === '.gitkeep') continue;
  rmSync(join(dist, name), { recursive: true, force: true });
}
const keep = join(dist, '.gitkeep');
if (!existsSync(keep)) writeFileSync(keep, '');
