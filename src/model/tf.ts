/**
 * TensorFlow.js core with every op's gradient registered. tfjs-core registers gradients only on
 * request (the @tensorflow/tfjs bundle does it along with layers and the converter, which the
 * worker does not need). Training no longer uses the tape (gradients.ts); the tape versions of the
 * objectives (objectives.ts), which the tests check the hand-written gradients against, need them.
 * Every module in src/model imports tf from here.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';

export * from '@tensorflow/tfjs-core';
