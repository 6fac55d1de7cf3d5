// Writes NAME.br (brotli, quality 11) and NAME.gz (gzip -9) beside each wasm, JS and CSS file of a built page, so the server can
// send them by Accept-Encoding instead of compressing on every request. Node's own zlib: no extra tool.
//   node scripts/compress.mjs DIR
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const dir = process.argv[2];
for (const name of readdirSync(dir)) {
  // Not HTML: the server reads each page to hash its inline script for the Content-Security-Policy, and
  // compresses that small answer itself.
  if (!/\.(wasm|js|css)$/.test(name)) continue;
  const bytes = readFileSync(join(dir, name));
  writeFileSync(
    join(dir, `${name}.br`),
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
  );
  writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 9 }));
}
