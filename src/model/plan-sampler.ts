/**
 * A sampler plan (core/samplers `PlanStep`s: x ← x + a·s_θ(x, σ) + c·z) run on the backend. The
 * particles stay on the device for a chunk of updates; each update is one forward pass (score
 * head: s_θ = y; energy head: s_θ = −∇ₓf, by the forward-mode input gradient) and one fused
 * update, and one read-back per chunk brings home the positions and the chunk's trail frames.
 *
 * Randomness: the noise of every update with c > 0 is drawn from the caller's rng in plan order,
 * n·d normals per update (what `planSampler` draws), scaled by c in float64 and uploaded once per
 * chunk; so a seed gives the samples the JS driver gives with the same score, up to float32
 * rounding of the update. The weights are one snapshot taken when the run starts: training that
 * goes on meanwhile does not reach a sample halfway.
 */
import * as tf from './tf';
import { SamplerState, type AbortLike, type BaseSamplerOptions, type PlanStep, type SamplerResult } from '../core/samplers';
import { forward, type Mlp, type MlpParams } from './mlp';
import { inputGradient, slopes } from './derivatives';

export interface PlanChunkInfo {
  /** Updates done so far. */
  step: number;
  total: number;
  sigma: number;
  level: number;
}

export interface PlanRunOptions extends BaseSamplerOptions {
  /** Wanted wall time of one chunk (ms); the chunk length follows the measured ms per update. */
  chunkMs?: number;
  /** Most updates per chunk (bounds the noise upload and the trail frames held on the device). */
  maxChunk?: number;
  /** Called with the positions after every chunk but the last (copy them to keep them). */
  onChunk?: (x: Float32Array, info: PlanChunkInfo) => void;
  /** Checked between chunks; when aborted the promise rejects with `signal.reason`. */
  signal?: AbortLike;
  /** Awaited between chunks (the worker yields a task here so messages get through). */
  pause?: () => Promise<void>;
}

/** The network's score on device tensors: features built on the device from x, θ cut once. */
class DeviceScore {
  private readonly params: MlpParams;
  private readonly keep: tf.Tensor[];
  private readonly center: tf.Tensor2D;
  private readonly invScale: tf.Tensor2D;
  private readonly negInvScale: tf.Tensor2D;
  /** The σ columns of h₀ ([log σ, sin, cos, 1]) per σ, 1 × (nFeatures − d). */
  private readonly tails = new Map<number, tf.Tensor2D>();

  constructor(
    private readonly net: Mlp,
    theta: Float32Array,
  ) {
    const c = net.config;
    const cut = tf.tidy(() => {
      const p = net.params(tf.tensor1d(theta));
      return { w: p.w, b: p.b.slice(1) as tf.Tensor1D[] };
    });
    this.params = { w: cut.w, b: [null, ...cut.b] };
    this.center = tf.tensor2d(c.center, [1, c.dim]);
    this.invScale = tf.tensor2d(c.scale.map((s) => 1 / s), [1, c.dim]);
    this.negInvScale = tf.tensor2d(c.scale.map((s) => -1 / s), [1, c.dim]);
    this.keep = [...cut.w, ...cut.b, this.center, this.invScale, this.negInvScale];
  }

  private tail(sigma: number): tf.Tensor2D {
    let t = this.tails.get(sigma);
    if (!t) {
      const d = this.net.config.dim;
      const row = this.net.features(new Float32Array(d), sigma);
      // Made inside a step's tidy but cached for the run: kept, and disposed with the rest.
      t = tf.keep(tf.tensor2d(row.subarray(d), [1, row.length - d]));
      this.tails.set(sigma, t);
    }
    return t;
  }

  /** s_θ(x, σ) for x (n × d) on the device; call inside a tidy. */
  score(x: tf.Tensor2D, sigma: number): tf.Tensor2D {
    const n = x.shape[0];
    const xh = tf.mul(tf.sub(x, this.center), this.invScale);
    const h0 = tf.concat([xh, tf.tile(this.tail(sigma), [n, 1])], 1) as tf.Tensor2D;
    const trace = forward(this.params, this.net.act, h0);
    if (this.net.config.head === 'score') return trace.out;
    const g = inputGradient(this.params, slopes(this.net.act, trace), this.net.config.dim);
    return tf.mul(g, this.negInvScale);
  }

  dispose(): void {
    tf.dispose(this.keep);
    tf.dispose([...this.tails.values()]);
    this.tails.clear();
  }
}

function abortError(signal: AbortLike): unknown {
  return signal.reason ?? new Error('sampling aborted');
}

/** Draw the chunk's noise in plan order, already scaled: rows [k·n, (k+1)·n) hold c_k z_k. */
function chunkNoise(st: SamplerState, plan: readonly PlanStep[], k0: number, k1: number): Float32Array {
  const m = st.x.length;
  const out = new Float32Array((k1 - k0) * m);
  for (let k = k0; k < k1; k++) {
    const c = plan[k].c;
    if (!(c > 0)) continue;
    const z = st.noise();
    const o = (k - k0) * m;
    for (let i = 0; i < m; i++) out[o + i] = c * z[i];
  }
  return out;
}

/**
 * Run updates [k0, k1) on the device from the positions in `st.x`; writes the new positions and
 * any trail frames due into `st`.
 */
async function runChunk(score: DeviceScore, st: SamplerState, plan: readonly PlanStep[], k0: number, k1: number): Promise<void> {
  const { n, d } = st;
  const noise = chunkNoise(st, plan, k0, k1);
  const frameSigmas: number[] = [];
  const z = tf.tensor2d(noise, [(k1 - k0) * n, d]);
  let x = tf.tensor2d(st.x, [n, d]);
  // Positions of the chunk's trail frames stay alive until the read-back; every other x is freed
  // as soon as the next one exists, so a chunk holds one step's intermediates at a time.
  const kept: tf.Tensor2D[] = [];
  let packed: tf.Tensor;
  try {
    for (let k = k0; k < k1; k++) {
      const p = plan[k];
      const prev = x;
      x = tf.tidy(() => {
        const step = tf.mul(score.score(prev, p.sigma), p.a);
        return tf.add(prev, p.c > 0 ? tf.add(step, tf.slice(z, [(k - k0) * n, 0], [n, d])) : step);
      });
      if (!kept.includes(prev)) prev.dispose();
      if (st.trailDue(k + 1)) {
        kept.push(x);
        frameSigmas.push(p.sigma);
      }
    }
    packed = tf.concat([x, ...kept], 0);
  } finally {
    tf.dispose([z, ...kept]);
    if (!kept.includes(x)) x.dispose();
  }
  let values: Float32Array;
  try {
    values = await packed.data<'float32'>();
  } finally {
    packed.dispose();
  }
  const m = n * d;
  st.x.set(values.subarray(0, m));
  frameSigmas.forEach((sigma, i) => st.recordFrame(values.subarray((i + 1) * m, (i + 2) * m), sigma));
  st.step = k1;
}

/** Walk `plan` with the network `net` at weights `theta`; resolves with the final positions and trails. */
export async function runPlanOnDevice(net: Mlp, theta: Float32Array, plan: readonly PlanStep[], o: PlanRunOptions): Promise<SamplerResult> {
  if (plan.length === 0) throw new Error('invalid sampler options: the plan has no steps');
  const st = new SamplerState(o, plan.length, plan[0].sigma);
  const score = new DeviceScore(net, theta);
  const chunkMs = o.chunkMs ?? 40;
  const maxChunk = o.maxChunk ?? 64;
  let len = Math.min(4, maxChunk);
  try {
    for (let k0 = 0; k0 < plan.length; ) {
      if (o.signal?.aborted) throw abortError(o.signal);
      const k1 = Math.min(plan.length, k0 + len);
      const t0 = performance.now();
      await runChunk(score, st, plan, k0, k1);
      const msPerStep = (performance.now() - t0) / (k1 - k0);
      len = Math.max(1, Math.min(maxChunk, Math.round(chunkMs / Math.max(msPerStep, 0.01))));
      k0 = k1;
      if (k0 < plan.length) {
        o.onChunk?.(st.x, { step: k0, total: plan.length, sigma: plan[k0].sigma, level: plan[k0].level });
        await o.pause?.();
      }
    }
  } finally {
    score.dispose();
  }
  return st.result();
}
