// The release steps after wasm-bindgen, run by `cargo xtask build --release`:
//   node xtask/release.mjs target/site/pkg onboarding
// 1. wasm-opt -Oz on the island's WebAssembly (npm `binaryen`, Binaryen for Node; Debian's
//    wasm-opt 108 breaks wasm-bindgen's externref table, so the version is pinned here and the
//    release browser tests prove the bundle hydrates);
// 2. the JavaScript glue and the stylesheet minified (esbuild);
// 3. every file in pkg/ precompressed as .br (quality 11) and .gz (level 9), served as they are.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, readdirSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";
import { transformSync } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const [pkg, name] = process.argv.slice(2);
if (!pkg || !name) {
  console.error("usage: node xtask/release.mjs PKG_DIR OUTPUT_NAME");
  process.exit(2);
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const wasm = join(pkg, `${name}.wasm`);
const before = statSync(wasm).size;
let started = Date.now();
execFileSync(join(here, "node_modules", ".bin", "wasm-opt"), [
  wasm, "-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "-o", wasm,
], { stdio: "inherit" });
console.log(`release: wasm-opt -Oz ${kb(before)} -> ${kb(statSync(wasm).size)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// Browsers as in `browserquery = "defaults"`, roughly: what the CSS and JS may rely on.
const target = ["chrome109", "edge109", "firefox115", "safari15.6"];
for (const [file, loader] of [[`${name}.js`, "js"], [`${name}.css`, "css"]]) {
  const path = join(pkg, file);
  const source = readFileSync(path, "utf8");
  const { code } = transformSync(source, { loader, minify: true, target, format: loader === "js" ? "esm" : undefined });
  writeFileSync(path, code);
  console.log(`release: ${file} minified ${kb(source.length)} -> ${kb(code.length)}`);
}

for (const file of readdirSync(pkg)) {
  if (file.endsWith(".br") || file.endsWith(".gz")) continue;
  const path = join(pkg, file);
  const data = readFileSync(path);
  const br = brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 11,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  writeFileSync(`${path}.br`, br);
  writeFileSync(`${path}.gz`, gzipSync(data, { level: 9 }));
  console.log(`release: ${file} ${kb(data.length)}, brotli ${kb(br.length)}`);
}
