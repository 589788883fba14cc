/**
 * Node 20's V8 has WebAssembly relaxed SIMD behind a flag; Chromium (since 114) and Node ≥ 22
 * have it on. Switched on here so the unit tests run the same wasm matrix products as the app
 * (src/model/wasm-gemm.ts), not the fallback.
 */
import { setFlagsFromString } from 'node:v8';
import { gemmWasmBase64 } from '../../src/model/wasm/gemm-bytes';

if (!WebAssembly.validate(Buffer.from(gemmWasmBase64, 'base64'))) setFlagsFromString('--experimental-wasm-relaxed-simd');
