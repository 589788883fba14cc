/** The tfjs model layer: networks, input derivatives, the five objectives, Adam, the trainer. */
export { ACTIVATIONS, METHODS } from './types';
export type { Activation, Batch, BurstResult, Head, Method, NetConfig, ObjectiveOptions, Projection, TrainerConfig, TrainingSettings } from './types';
export { activationOps, type ActivationOps } from './activations';
export { setTransposeStrategy, type TransposeStrategy } from './linalg';
export { buildFeatures, createMlp, forward, initialWeights, mlpLayout, type ForwardTrace, type Mlp, type MlpLayout, type MlpParams } from './mlp';
export { directionTangents, inputGradient, oneHotTangents, slopes, tangentPass } from './derivatives';
export { defaultObjectiveOptions, dsmLoss, muldeLoss, ncsnLoss, noisyPoints, objectives, smLoss, ssmLoss, type Objective } from './objectives';
export { lossAndGradient, muldeLossAndGradient, smLossAndGradient, ssmLossAndGradient, type LossAndGradientFn } from './gradients';
export { drawBatch, type BatchSettings } from './batch';
export { createAdam, type Adam, type AdamOptions } from './adam';
export { createTrainer, defaultTrainerConfig, type Trainer, type TrainerInit } from './trainer';
