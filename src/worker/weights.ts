/**
 * Trained weights as JSON, for export and import. θ is stored piece by piece (W0, W1, b1, …)
 * with shapes, so a file is readable and a mismatched architecture is refused by name.
 */
import { dimOf } from '../core/mixture';
import type { Run } from './run';
import { Fault, type WeightsJSON } from './protocol';

export function weightsToJSON(s: Run, theta: Float32Array): WeightsJSON {
  const pieces = s.trainer.net.layout.pieces;
  const tensors: WeightsJSON['tensors'] = [];
  let o = 0;
  for (const p of pieces) {
    const size = p.shape.reduce((a, b) => a * b, 1);
    tensors.push({ shape: [...p.shape], values: Array.from(theta.subarray(o, o + size)) });
    o += size;
  }
  const c = s.config;
  return {
    format: 'score-playground-weights',
    version: 1,
    method: c.method,
    dim: dimOf(c.dataset),
    width: c.width,
    depth: c.depth,
    activation: c.activation,
    model: c.model ?? 'mlp',
    frequencies: c.frequencies ?? 0,
    step: s.step,
    tensors,
  };
}

function fail(message: string): never {
  throw new Fault('bad-weights', `invalid weights: ${message}`);
}

/** Check a weights file against the run's network and flatten it to θ. */
export function weightsFromJSON(s: Run, w: WeightsJSON): Float32Array {
  if (!w || w.format !== 'score-playground-weights') fail('not a Score Playground weights file');
  if (w.version !== 1) fail(`version ${String(w.version)} is not supported`);
  const c = s.config;
  const dim = dimOf(c.dataset);
  if (w.method !== c.method) fail(`the file is for ${String(w.method)}, this panel trains ${c.method}`);
  if (w.dim !== dim) fail(`the file is for ${String(w.dim)}D data, this dataset is ${dim}D`);
  const [model, k] = [c.model ?? 'mlp', c.frequencies ?? 0];
  if ((w.model ?? 'mlp') !== model) fail(`the file's score model is the ${String(w.model ?? 'mlp')}, this panel trains the ${model}`);
  if ((w.frequencies ?? 0) !== k) fail(`the file's net has ${String(w.frequencies ?? 0)} σ embedding pairs, this panel's has ${k}`);
  if (w.width !== c.width || w.depth !== c.depth || w.activation !== c.activation)
    fail(`the file's network is width ${String(w.width)}, depth ${String(w.depth)}, ${String(w.activation)}; set the panel to match`);
  const pieces = s.trainer.net.layout.pieces;
  if (!Array.isArray(w.tensors) || w.tensors.length !== pieces.length) fail(`expected ${pieces.length} tensors`);
  const theta = new Float32Array(s.trainer.net.paramCount);
  let o = 0;
  pieces.forEach((p, i) => {
    const t = w.tensors[i];
    const size = p.shape.reduce((a, b) => a * b, 1);
    if (!t || !Array.isArray(t.shape) || t.shape.join('×') !== p.shape.join('×')) fail(`tensor ${p.name} should have shape ${p.shape.join('×')}`);
    if (!Array.isArray(t.values) || t.values.length !== size) fail(`tensor ${p.name} should have ${size} values`);
    for (let j = 0; j < size; j++) {
      const v = t.values[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) fail(`tensor ${p.name} has a non-finite value`);
      theta[o + j] = v;
    }
    o += size;
  });
  return theta;
}
