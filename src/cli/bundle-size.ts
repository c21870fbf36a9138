import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/** After `wrangler deploy --dry-run --outdir dist`: each bundle's size as uploaded and gzipped (what Workers' limit counts). */
for (const name of readdirSync('dist').filter((f) => f.endsWith('.js'))) {
  const body = readFileSync(`dist/${name}`);
  console.log(`bundle dist/${name}: ${(body.length / 1024).toFixed(0)} KiB, ${(gzipSync(body).length / 1024).toFixed(0)} KiB gzipped`);
}
