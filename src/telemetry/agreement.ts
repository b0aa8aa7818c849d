/** How a shadow's answers on some rows compare with the served ones. */
export interface Agreement {
  rows: number;
  /**
   * Sum over rows of the absolute difference: of the value for single-output models (probability,
   * or the regression's value in its unit), of the mean over outputs for the others; undefined when
   * the versions' outputs differ in width.
   */
  absDifferenceSum: number | undefined;
  /** Rows whose top label is the same in both (multi-output models only). */
  top1Agreements: number | undefined;
}

/**
 * Agreements of one serving/shadow pair added up since start. Each measure keeps its own row
 * count, since a pair may compare top labels but not values (outputs of different widths).
 */
export class AgreementTally {
  rows = 0;
  differenceRows = 0;
  absDifferenceSum = 0;
  top1Rows = 0;
  top1Agreements = 0;

  add(agreement: Agreement): void {
    this.rows += agreement.rows;
    if (agreement.absDifferenceSum !== undefined) {
      this.differenceRows += agreement.rows;
      this.absDifferenceSum += agreement.absDifferenceSum;
    }
    if (agreement.top1Agreements !== undefined) {
      this.top1Rows += agreement.rows;
      this.top1Agreements += agreement.top1Agreements;
    }
  }

  /** Null until a value difference was measured. */
  get meanAbsDifference(): number | null {
    return this.differenceRows > 0 ? this.absDifferenceSum / this.differenceRows : null;
  }

  /** Null until a top label was compared. */
  get top1AgreementRatio(): number | null {
    return this.top1Rows > 0 ? this.top1Agreements / this.top1Rows : null;
  }
}
