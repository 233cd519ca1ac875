package dev.quarry.train;

import java.util.Locale;

/**
 * When a trainer scores the dev split carved from its training queries ({@code training.dev_evaluation}), and so
 * which epoch it exports.
 */
public enum DevEvaluation {
  /** After every epoch; the best epoch is exported (model selection). */
  EVERY_EPOCH,
  /** After the last epoch only; the last epoch is exported, and its dev score is logged. */
  LAST_EPOCH,
  /**
   * Never; the last epoch is exported. For runs whose epoch count was chosen on dev before (the RocketQA pipeline's
   * stages): a dev pass encodes the whole corpus, minutes each on a small CPU.
   */
  NONE;

  /** Whether the dev split is scored after {@code epoch} (0-based) of {@code epochs}. */
  public boolean evaluatesAfter(int epoch, int epochs) {
    return this == EVERY_EPOCH || (this == LAST_EPOCH && epoch == epochs - 1);
  }

  /** The config spelling ({@code every_epoch}, ...). */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
