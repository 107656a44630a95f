import type { TrainingDefaults } from '@ncf/core';

/**
 * The NCF paper's training settings, shared by its models (He et al., "Neural Collaborative Filtering",
 * WWW 2017, §4.1: 4 sampled negatives per positive, mini-batches of 256 within the 128–1024 it tried, Adam
 * with learning rate 0.001 within the 0.0001–0.005 it tried). Trainers use them where the user set nothing.
 */
export const NCF_TRAINING_DEFAULTS: TrainingDefaults = Object.freeze({
  batchSize: 256,
  learningRate: 0.001,
  negatives: 4,
});
