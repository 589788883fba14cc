/**
 * TensorFlow.js core with every op's gradient registered. tfjs-core registers gradients only on
 * request (the @tensorflow/tfjs bundle does it along with layers and the converter, which the
 * worker does not need), and the objectives that keep the gradient tape (SM, sliced SM, MULDE)
 * need them. Every module in src/model imports tf from here.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
