package dev.quarry.rocketqa;

/**
 * A control run of the pipeline (issue 16): a dual-encoder stage trained again with one thing changed, the same
 * section (so the same steps, batch, schedule and seed) and otherwise the same inputs, so that the report can say
 * what that one thing adds, with a paired test against the stage it controls. Listed under {@code controls:} in the
 * pipeline config; each runs after the four stages, in {@code OUT/controls/<name>}, and resumes like a stage.
 */
public enum Control {
  /** MD1 with MD0's retrieved negatives as they are: same rank window and sampling, nothing denoised. */
  MD1_UNDENOISED(Stage.MD1, "md1 without denoising"),
  /**
   * MD2 without augmentation: MD1's labeled groups only, padded to MD2's group count by a seeded draw of labeled
   * groups (drawn again), so that it trains for exactly MD2's steps.
   */
  MD2_UNAUGMENTED(Stage.MD2, "md2 without augmentation"),
  /** MD1 from the other start than {@code stage_init} gives it (the base model, or MD0's). */
  MD1_OTHER_INIT(Stage.MD1, "md1 from the other start"),
  /** MD2 from the other start than {@code stage_init} gives it (the base model, or MD1's). */
  MD2_OTHER_INIT(Stage.MD2, "md2 from the other start");

  private final Stage controls;
  private final String label;

  Control(Stage controls, String label) {
    this.controls = controls;
    this.label = label;
  }

  /** The stage this control differs from in one thing. */
  public Stage controls() {
    return controls;
  }

  /** The row's name in the report. */
  public String label() {
    return label;
  }

  /** The control's folder name under {@code OUT/controls}. */
  public String dirName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
