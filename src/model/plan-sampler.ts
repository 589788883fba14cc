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
import { SamplerState, drawsNoise, type AbortLike, type BaseSamplerOptions, type PlanStep, type SamplerResult } from '../core/samplers';
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

/**
 * y = a·B + bias for a batch-of-one a (1 × n × k) and b (1 × k × m), straight to the fused
 * kernel. `tf.fused.matMul` would reshape a and b to three dimensions and the product back on
 * every call: three Reshape kernels around each product, half of a sampling update's kernels.
 */
function dense(a: tf.Tensor3D, b: tf.Tensor3D, bias: tf.Tensor1D): tf.Tensor3D {
  return tf.engine().runKernel<tf.Tensor3D>('_FusedMatMul', { a, b, bias }, { transposeA: false, transposeB: false, activation: 'linear' });
}

/**
 * The network's update a·s_θ(x, σ) on device tensors (x: 1 × n × d), θ cut once.
 *
 * Score head: the feature map is affine in x, so the first layer folds it in:
 *   z₀ = h₀W₀ = x·A + b(σ),  A = diag(1/scale)·W₀[0:d],  b(σ) = h₀(0, σ)·W₀
 * (h₀(0, σ) is the feature row of the origin: [−center/scale, log σ, …, 1]), and the step size
 * folds into the last layer, a·y = h_L·(aW_L) + a·b_L. An update is then L + 1 fused
 * matmul + bias kernels, the activations, and one sum, with b(σ) and (aW_L, a·b_L) cached per
 * level; the particles stay 1 × n × d throughout, so no kernel only reshapes. Energy head
 * (MULDE): features on the device, then −∇ₓf by the forward-mode gradient.
 */
class DeviceScore {
  private readonly params: MlpParams;
  private readonly keep: tf.Tensor[];
  private readonly invScale: tf.Tensor2D;
  /** A (1 × d × width) and W₁…W_{L−1} as batch-of-one matrices. */
  private readonly first: tf.Tensor3D;
  private readonly hidden: tf.Tensor3D[];
  /** Per σ: b(σ) (score head) or the σ columns of h₀ (energy head). */
  private readonly perSigma = new Map<number, tf.Tensor>();
  /** Per step size a: [aW_L, a·b_L]. */
  private readonly perStep = new Map<number, [tf.Tensor3D, tf.Tensor1D]>();

  constructor(
    private readonly net: Mlp,
    private readonly theta: Float32Array,
  ) {
    const c = net.config;
    const cut = tf.tidy(() => {
      const p = net.params(tf.tensor1d(theta));
      return { w: p.w, b: p.b.slice(1) as tf.Tensor1D[] };
    });
    this.params = { w: cut.w, b: [null, ...cut.b] };
    this.invScale = tf.tensor2d(
      c.scale.map((s) => 1 / s),
      [1, c.dim],
    );
    this.first = tf.tidy(() => tf.reshape(tf.mul(tf.slice(cut.w[0], [0, 0], [c.dim, c.width]), tf.reshape(this.invScale, [c.dim, 1])), [1, c.dim, c.width]));
    this.hidden = cut.w.slice(1, -1).map((w) => tf.reshape(w, [1, ...w.shape]));
    this.keep = [...cut.w, ...cut.b, this.invScale, this.first, ...this.hidden];
  }

  /** Made inside a step's tidy but cached for the run: kept, and disposed with the rest. */
  private cached<K, T extends tf.Tensor | tf.Tensor[]>(map: Map<K, T>, key: K, make: () => T): T {
    let t = map.get(key);
    if (!t) {
      t = make();
      for (const u of [t].flat()) tf.keep(u);
      map.set(key, t);
    }
    return t;
  }

  /** b(σ) = h₀(0, σ)·W₀ in float64 from the host copy of θ (W₀ leads θ, nFeatures × width). */
  private firstBias(sigma: number): Float32Array {
    const row = this.originRow(sigma);
    const width = this.net.config.width;
    const out = new Float32Array(width);
    for (let j = 0; j < width; j++) {
      let acc = 0;
      for (let k = 0; k < row.length; k++) acc += row[k] * this.theta[k * width + j];
      out[j] = acc;
    }
    return out;
  }

  private originRow(sigma: number): Float32Array {
    return this.net.features(new Float32Array(this.net.config.dim), sigma);
  }

  /** a·s_θ(x, σ) for x (1 × n × d) on the device; call inside a tidy. */
  step(x: tf.Tensor3D, sigma: number, a: number): tf.Tensor3D {
    const { w, b } = this.params;
    const L = w.length - 1;
    const act = this.net.act;
    if (this.net.config.head === 'score') {
      const bias = this.cached(this.perSigma, sigma, () => tf.tensor1d(this.firstBias(sigma))) as tf.Tensor1D;
      let h = act.apply(dense(x, this.first, bias)) as tf.Tensor3D;
      for (let l = 1; l < L; l++) h = act.apply(dense(h, this.hidden[l - 1], b[l]!)) as tf.Tensor3D;
      const [wa, ba] = this.cached(this.perStep, a, () => [tf.reshape(tf.mul(w[L], a), [1, ...w[L].shape]), tf.mul(b[L]!, a)] as [tf.Tensor3D, tf.Tensor1D]);
      return dense(h, wa, ba);
    }
    const [, n, d] = x.shape;
    const tail = this.cached(this.perSigma, sigma, () => {
      const row = this.originRow(sigma);
      return tf.tensor2d(row.subarray(d), [1, row.length - d]);
    }) as tf.Tensor2D;
    const center = tf.tensor2d(this.net.config.center, [1, d]);
    const x2 = tf.reshape(x, [n, d]);
    const h0 = tf.concat([tf.mul(tf.sub(x2, center), this.invScale), tf.tile(tail, [n, 1])], 1) as tf.Tensor2D;
    const trace = forward(this.params, act, h0);
    // s = −∇ₓf = −(∂f/∂x̂)/scale.
    return tf.reshape(tf.mul(inputGradient(this.params, slopes(act, trace), d), tf.mul(this.invScale, -a)), [1, n, d]);
  }

  dispose(): void {
    tf.dispose(this.keep);
    for (const t of this.perSigma.values()) tf.dispose(t);
    for (const t of this.perStep.values()) tf.dispose(t);
    this.perSigma.clear();
    this.perStep.clear();
  }
}

function abortError(signal: AbortLike): unknown {
  return signal.reason ?? new Error('sampling aborted');
}

/**
 * Draw the chunk's noise in plan order: rows [k·n, (k+1)·n) hold c_k z_k, already scaled, or z_k
 * itself for a corrector step (its scale depends on the score, known only on the device).
 */
function chunkNoise(st: SamplerState, plan: readonly PlanStep[], k0: number, k1: number): Float32Array {
  const m = st.x.length;
  const out = new Float32Array((k1 - k0) * m);
  for (let k = k0; k < k1; k++) {
    const p = plan[k];
    if (!drawsNoise(p)) continue;
    const z = st.noise();
    const c = p.snr !== undefined ? 1 : p.c;
    const o = (k - k0) * m;
    for (let i = 0; i < m; i++) out[o + i] = c * z[i];
  }
  return out;
}

/**
 * A corrector update on the device, x + α s + √(2α) z with α = 2 (r ‖z‖ / ‖s‖)², the norms
 * per particle averaged over the batch (core/samplers `correctorStep`); α = 0 where ‖s‖ is 0
 * or NaN. No read-back: the step size never leaves the device.
 */
function deviceCorrect(x: tf.Tensor3D, s: tf.Tensor3D, z: tf.Tensor3D, snr: number): tf.Tensor3D {
  const rowNorm = (t: tf.Tensor3D) => tf.mean(tf.sqrt(tf.sum(tf.square(t), 2)));
  const sn = rowNorm(s);
  const alpha = tf.mul(tf.square(tf.div(tf.mul(rowNorm(z), snr), sn)), 2);
  const safe = tf.where(tf.greater(sn, 0), alpha, tf.zerosLike(alpha));
  return tf.addN([x, tf.mul(safe, s), tf.mul(tf.sqrt(tf.mul(safe, 2)), z)]) as tf.Tensor3D;
}

/**
 * Run updates [k0, k1) on the device from the positions in `st.x`; writes the new positions and
 * any trail frames due into `st`.
 */
async function runChunk(score: DeviceScore, st: SamplerState, plan: readonly PlanStep[], k0: number, k1: number): Promise<void> {
  const { n, d } = st;
  const noise = chunkNoise(st, plan, k0, k1);
  const frameSigmas: number[] = [];
  const z = tf.tensor3d(noise, [1, (k1 - k0) * n, d]);
  let x = tf.tensor3d(st.x, [1, n, d]);
  // Positions of the chunk's trail frames stay alive until the read-back; every other x is freed
  // as soon as the next one exists, so a chunk holds one step's intermediates at a time.
  const kept: tf.Tensor3D[] = [];
  let packed: tf.Tensor;
  try {
    for (let k = k0; k < k1; k++) {
      const p = plan[k];
      const prev = x;
      x = tf.tidy(() => {
        const zk = (): tf.Tensor3D => tf.slice(z, [0, (k - k0) * n, 0], [1, n, d]);
        if (p.snr !== undefined) return deviceCorrect(prev, score.step(prev, p.sigma, 1), zk(), p.snr);
        const step = score.step(prev, p.sigma, p.a);
        return p.c > 0 ? tf.addN([prev, step, zk()]) : tf.add(prev, step);
      });
      if (!kept.includes(prev)) prev.dispose();
      if (st.trailDue(k + 1)) {
        kept.push(x);
        frameSigmas.push(p.sigma);
      }
    }
    packed = tf.concat([x, ...kept], 1);
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
    for (let k0 = 0; k0 < plan.length;) {
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
