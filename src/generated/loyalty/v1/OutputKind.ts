// Original file: proto/loyalty/v1/model_service.proto

/**
 * What a model's output vector means.
 */
export const OutputKind = {
  /**
   * Not set.
   */
  OUTPUT_KIND_UNSPECIFIED: 'OUTPUT_KIND_UNSPECIFIED',
  /**
   * One value, the probability of the positive class.
   */
  OUTPUT_KIND_BINARY_PROBABILITY: 'OUTPUT_KIND_BINARY_PROBABILITY',
  /**
   * One probability per label, summing to 1.
   */
  OUTPUT_KIND_CLASS_PROBABILITIES: 'OUTPUT_KIND_CLASS_PROBABILITIES',
  /**
   * One or more real values.
   */
  OUTPUT_KIND_REGRESSION: 'OUTPUT_KIND_REGRESSION',
  /**
   * One score per catalogue item (the output labels), higher is better; the
   * customer's recent purchases may be left out (the manifest says).
   */
  OUTPUT_KIND_RANKING: 'OUTPUT_KIND_RANKING',
  /**
   * Two probabilities of a response: if treated (contacted) and if not; the
   * effect of the treatment is their difference.
   */
  OUTPUT_KIND_UPLIFT: 'OUTPUT_KIND_UPLIFT',
} as const;

/**
 * What a model's output vector means.
 */
export type OutputKind =
  /**
   * Not set.
   */
  | 'OUTPUT_KIND_UNSPECIFIED'
  | 0
  /**
   * One value, the probability of the positive class.
   */
  | 'OUTPUT_KIND_BINARY_PROBABILITY'
  | 1
  /**
   * One probability per label, summing to 1.
   */
  | 'OUTPUT_KIND_CLASS_PROBABILITIES'
  | 2
  /**
   * One or more real values.
   */
  | 'OUTPUT_KIND_REGRESSION'
  | 3
  /**
   * One score per catalogue item (the output labels), higher is better; the
   * customer's recent purchases may be left out (the manifest says).
   */
  | 'OUTPUT_KIND_RANKING'
  | 4
  /**
   * Two probabilities of a response: if treated (contacted) and if not; the
   * effect of the treatment is their difference.
   */
  | 'OUTPUT_KIND_UPLIFT'
  | 5

/**
 * What a model's output vector means.
 */
export type OutputKind__Output = typeof OutputKind[keyof typeof OutputKind]
