import { DataError } from '@ncf/core';

/**
 * Checks that a pointwise batch's labels are probabilities, as the sigmoid cross-entropy of a `bce` model
 * needs (He et al., 2017, §3.1.1: y ∈ {0, 1}). Raw ratings or play counts reach the loss when the interactions
 * were not made implicit (a pointwise source labels by rating whenever ratings are present), and BCE on a
 * label of 7 trains without error but towards nonsense; this one pass over the labels (no tensor) turns that
 * into an error naming the fix. NaN fails the check too.
 */
export function checkBinaryLabels(labels: Float32Array, kind: string): void {
  for (let k = 0; k < labels.length; k++) {
    const y = labels[k]!;
    if (y >= 0 && y <= 1) continue;
    throw new DataError(
      `${kind} with loss 'bce' needs labels in [0, 1], but batch.labels[${k}] is ${y} (raw ratings or play ` +
        'counts?): make the interactions implicit with toImplicit() from @ncf/datasets (or build the source ' +
        "with pointwiseSource(interactions, { labels: 'implicit' })), or train on ratings with loss 'mse'",
    );
  }
}
