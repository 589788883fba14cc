/**
 * Benchmark page, driven by scripts/bench.mjs: trains each method on each backend through the
 * real worker and records ms per step. Results land in `window.__bench` as JSON records.
 */
import { TrainerClient } from '../../src/worker/client';
import { findPreset } from '../../src/core/presets';
import type { BackendName, Method, TrainConfig } from '../../src/worker/protocol';

interface BenchRecord {
  kind: 'train-step';
  method: Method;
  backend: BackendName;
  adapter?: string;
  software?: boolean;
  dataset: string;
  width: number;
  depth: number;
  batch: number;
  steps: number;
  msPerStep: number;
  stepsPerSecond: number;
  finalLoss: number;
}

const params = new URLSearchParams(location.search);
const methods = (params.get('methods') ?? 'sm,ssm,dsm,ncsn,mulde').split(',') as Method[];
const backends = (params.get('backends') ?? 'wasm,webgpu,webgl,cpu').split(',') as BackendName[];
const width = Number(params.get('width') ?? 128);
const depth = Number(params.get('depth') ?? 3);
const batch = Number(params.get('batch') ?? 256);
const log = document.getElementById('log') as HTMLElement;
const records: (BenchRecord | { kind: 'skipped'; backend: string; reason: string })[] = [];
const w = window as unknown as { __bench?: unknown; __benchDone?: boolean };

function config(method: Method): TrainConfig {
  const p = findPreset('three-blobs')!;
  return {
    method,
    dataset: p.spec,
    nData: p.n,
    seed: 1,
    width,
    depth,
    activation: 'silu',
    live: { lr: 2e-3, beta: 0.1, batch, sigma: p.dsmSigma, sigmaMin: p.sigmaMin, sigmaMax: p.sigmaMax, projection: 'gaussian' },
  };
}

async function run(): Promise<void> {
  for (const backend of backends) {
    const client = new TrainerClient(backend);
    const info = await client.ready();
    if (info.name !== backend) {
      records.push({ kind: 'skipped', backend, reason: `got ${info.name}` });
      client.terminate();
      continue;
    }
    // GPU backends on a software adapter are slow: fewer timed steps keep the run short.
    const steps = backend === 'wasm' ? 300 : backend === 'cpu' ? 60 : 40;
    for (const method of methods) {
      client.configure(config(method));
      await client.step(backend === 'wasm' ? 30 : 5); // warm-up: kernels compile, shapes settle
      const t0 = performance.now();
      const r = await client.step(steps);
      const ms = (performance.now() - t0) / steps;
      const rec: BenchRecord = {
        kind: 'train-step', method, backend, adapter: info.adapter, software: info.software, dataset: 'three-blobs',
        width, depth, batch, steps, msPerStep: +ms.toFixed(3), stepsPerSecond: +(1000 / ms).toFixed(1), finalLoss: r.loss,
      };
      records.push(rec);
      log.textContent = JSON.stringify(records, null, 1);
    }
    client.terminate();
  }
}

run()
  .catch((e: unknown) => records.push({ kind: 'skipped', backend: 'all', reason: String(e) }))
  .finally(() => {
    w.__bench = records;
    w.__benchDone = true;
  });
