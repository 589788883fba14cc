/**
 * Assembles src/model/wasm/kernels.wat into src/model/wasm/kernels-bytes.ts (the module as base64), so
 * the app ships no WebAssembly toolchain. `--check` only compares, failing when the committed bytes
 * are not those of the committed text (tests/unit/wasm-gemm.test.ts compares through `assemble`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const wat = fileURLToPath(new URL('../src/model/wasm/kernels.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/model/wasm/kernels-bytes.ts', import.meta.url));

export async function assemble() {
  const wabt = await initWabt();
  const mod = wabt.parseWat('kernels.wat', readFileSync(wat, 'utf8'), { simd: true, relaxed_simd: true });
  mod.validate();
  const bytes = mod.toBinary({}).buffer;
  mod.destroy();
  return `// Generated from kernels.wat by scripts/build-wasm.mjs: do not edit.\nexport const kernelsWasmBase64 =\n  '${Buffer.from(bytes).toString('base64')}';\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const text = await assemble();
  if (process.argv.includes('--check')) {
    if (readFileSync(out, 'utf8') !== text) throw new Error('kernels-bytes.ts is stale: run node scripts/build-wasm.mjs');
  } else writeFileSync(out, text);
}
