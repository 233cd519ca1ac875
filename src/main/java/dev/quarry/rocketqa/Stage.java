package dev.quarry.rocketqa;

/** The four stages of RocketQA, in the order they run. */
public enum Stage {
  /** The first dual encoder: in-batch, cross-batch and random negatives. */
  MD0("md0"),
  /** The cross-encoder, trained on MD0's retrieved passages. */
  MC("mc"),
  /** The second dual encoder: hard negatives from MD0's ranking, denoised by MC. */
  MD1("md1"),
  /** The third: MD1's data plus unlabeled queries retrieved by MD1 and labeled by MC. */
  MD2("md2");

  private final String dirName;

  Stage(String dirName) {
    this.dirName = dirName;
  }

  /** The stage's folder under the pipeline output and its section in the config. */
  public String dirName() {
    return dirName;
  }

  static Stage byName(String name) {
    for (Stage s : values()) {
      if (s.dirName.equals(name)) {
        return s;
      }
    }
    return null;
  }
}
