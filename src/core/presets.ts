/** The datasets the lessons use, each with the settings its lesson starts from. */
import type { MixtureSpec } from './mixture';

export interface Preset {
  /** URL/attribute name. */
  id: string;
  label: string;
  spec: MixtureSpec;
  /** Number of training samples drawn from the mixture. */
  n: number;
  /** Default DSM noise level σ. */
  dsmSigma: number;
  /** Default noise range [σ_min, σ_max] for NCSN and MULDE. */
  sigmaMin: number;
  sigmaMax: number;
  /** View box [xmin, xmax] (1D) or [xmin, xmax, ymin, ymax] (2D). */
  view: number[];
}

export const presets: readonly Preset[] = [
  {
    id: 'bimodal-1d',
    label: '1D: 0.1·N(−3,1) + 0.9·N(3,1)',
    spec: { weights: [0.1, 0.9], means: [[-3], [3]], covs: [[[1]], [[1]]] },
    n: 1024,
    dsmSigma: 0.3,
    sigmaMin: 0.05,
    sigmaMax: 4,
    view: [-8, 8],
  },
  {
    id: 'two-blobs',
    label: '2D: two blobs',
    spec: {
      weights: [0.5, 0.5],
      means: [
        [0, 0],
        [3, 2],
      ],
      covs: [
        [
          [1, 0],
          [0, 1],
        ],
        [
          [0.25, 0],
          [0, 0.25],
        ],
      ],
    },
    n: 512,
    dsmSigma: 0.3,
    sigmaMin: 0.05,
    sigmaMax: 3,
    view: [-4, 6, -4, 5],
  },
  {
    id: 'three-blobs',
    label: '2D: three anisotropic blobs',
    spec: {
      weights: [1 / 3, 1 / 3, 1 / 3],
      means: [
        [0, 0],
        [6, 6],
        [-4, 5],
      ],
      covs: [
        [
          [1, 0.5],
          [0.5, 1],
        ],
        [
          [1.5, -0.7],
          [-0.7, 1.5],
        ],
        [
          [0.8, 0],
          [0, 2],
        ],
      ],
    },
    n: 300,
    dsmSigma: 0.5,
    sigmaMin: 0.05,
    sigmaMax: 5,
    view: [-9, 11, -5, 11],
  },
];

export const DEFAULT_PRESET = 'three-blobs';

/** The preset with this id, or undefined. */
export function findPreset(id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}
