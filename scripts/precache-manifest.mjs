// Trunk post-build hook (Trunk.toml): lists the built files for the service worker to keep offline and for
// "Publish" to pack, and writes the build's fingerprint into sw.js so browsers install the new build's worker.
//
// Runs on Trunk's staging directory (TRUNK_STAGING_DIR) or on a folder given as the first argument. Generated,
// never written by hand: Trunk decides the file names, and a stale list would leave the offline copy broken.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const root = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!root) {
  console.error('precache-manifest: give the built folder as an argument or run as a Trunk hook');
  process.exit(2);
}

// Not copied: the model (the worker caches it itself, 72 MB), the service worker (the browser fetches it
// itself) and this list.
const SKIP = (path) => path.startsWith('models/') || path === 'sw.js' || path === 'precache.json';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const files = walk(root)
  .map((path) => relative(root, path).split(sep).join('/'))
  .filter((path) => !SKIP(path))
  .sort();
const fingerprint = createHash('sha256');
let total = 0;
for (const path of files) {
  const bytes = readFileSync(join(root, path));
  total += bytes.length;
  fingerprint.update(path).update('\0').update(createHash('sha256').update(bytes).digest()).update('\0');
}
const version = fingerprint.digest('hex').slice(0, 16);

writeFileSync(
  join(root, 'precache.json'),
  JSON.stringify({ format: 'vejkort-precache', version, bytes: total, files }, null, 1) + '\n',
);
const worker = join(root, 'sw.js');
if (existsSync(worker)) {
  writeFileSync(worker, readFileSync(worker, 'utf8').replaceAll('__VEJKORT_BUILD__', version));
}
console.log(`precache-manifest: ${files.length} files, ${total} bytes, build ${version}`);
