// Original file: proto/loyalty/v1/model_service.proto


export interface BatchingConfig {
  /**
   * Largest batch one inference runs.
   */
  'maxBatchSize'?: (number);
  /**
   * Longest a request waits for others to join its batch, in microseconds.
   */
  'maxQueueDelayUs'?: (number);
  /**
   * Most requests that may wait; more are refused with RESOURCE_EXHAUSTED.
   */
  'maxQueueSize'?: (number);
}

export interface BatchingConfig__Output {
  /**
   * Largest batch one inference runs.
   */
  'maxBatchSize': (number);
  /**
   * Longest a request waits for others to join its batch, in microseconds.
   */
  'maxQueueDelayUs': (number);
  /**
   * Most requests that may wait; more are refused with RESOURCE_EXHAUSTED.
   */
  'maxQueueSize': (number);
}
