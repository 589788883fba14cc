/**
 * Node 20's V8 has WebAssembly relaxed SIMD behind a flag; Chromium (since 114) and Node ≥ 22
 * have it on. Switched on here so the unit tests run the same wasm matrix products as the app
 * (src/model/wasm-module.ts), not the fallback.
 */
import { setFlagsFromString } from 'node:v8';
import { kernelsWasmBase64 } from '../../src/model/wasm/kernels-bytes';

if (!WebAssembly.validate(Buffer.from(kernelsWasmBase64, 'base64'))) setFlagsFromString('--experimental-wasm-relaxed-simd');
