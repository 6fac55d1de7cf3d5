// Builds the React peers for bench/speed.py, for production: esbuild bundles and minifies each app (React in
// production mode), the console's own style/main.css is minified beside it, and file names carry a 16-hex-digit
// content hash as trunk's do (so workspace-server caches them the same way). Each peer gets a folder that
// `workspace-server --dist` serves as it serves the console's dist/:
//
//   node build.mjs [OUT]    OUT defaults to ../../target/react-peer; writes OUT/rhf/ and OUT/rjsf/
//
// Beside every file goes a .gz (gzip -9) and a .br (brotli, quality 11), as issue 10 asks of the console's build,
// so a server that serves precompressed files treats both alike.

import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import * as esbuild from "esbuild";
import { compileSchemaValidatorsCode } from "@rjsf/validator-ajv8/lib/compileSchemaValidatorsCode.js";
import { schema } from "./src/schema.js";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] || join(here, "../../target/react-peer"));
const css = join(here, "../../style/main.css");
const generated = join(out, "gen", "rjsf-validators.cjs");

// RJSF's ajv compiles validators with `new Function`, which the page policy forbids: compile them now.
mkdirSync(dirname(generated), { recursive: true });
writeFileSync(generated, compileSchemaValidatorsCode(schema, { ajvOptionsOverrides: { code: { lines: false } } }));

const hash = (bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

function emit(dir, name, bytes) {
  writeFileSync(join(dir, name), bytes);
  writeFileSync(join(dir, name + ".gz"), gzipSync(bytes, { level: 9 }));
  writeFileSync(join(dir, name + ".br"), brotliCompressSync(bytes, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
  }));
}

const style = await esbuild.build({ entryPoints: [css], bundle: true, minify: true, write: false, logLevel: "warning" });
const cssBytes = Buffer.from(style.outputFiles[0].contents);

for (const app of ["rhf", "rjsf"]) {
  const dir = join(out, app);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [join(here, "src", `${app}.jsx`)],
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2022",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    alias: { "rjsf-precompiled-validators": generated },
    nodePaths: [join(here, "node_modules")],
    legalComments: "none",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const js = Buffer.from(result.outputFiles[0].contents);
  const jsName = `${app}-${hash(js)}.js`;
  const cssName = `main-${hash(cssBytes)}.css`;
  emit(dir, jsName, js);
  emit(dir, cssName, cssBytes);
  const html = readFileSync(join(here, "index.html"), "utf8").replace("{{css}}", cssName).replace("{{js}}", jsName);
  emit(dir, "index.html", Buffer.from(html));
  writeFileSync(join(out, `${app}.meta.json`), JSON.stringify(result.metafile));
  console.log(`react-peer: ${app}: ${jsName} ${js.length} B, gzip ${gzipSync(js, { level: 9 }).length} B -> ${dir}`);
}
