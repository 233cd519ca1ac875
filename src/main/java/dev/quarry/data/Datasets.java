package dev.quarry.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a dataset folder in its layout. */
public final class Datasets {
  private Datasets() {
  }

  /** Opens {@code root}, recognising its layout. */
  public static Dataset open(Path root) {
    return open(root, null);
  }

  /** Opens {@code root} in the given layout, or the recognised one when {@code format} is null. */
  public static Dataset open(Path root, DatasetFormat format) {
    if (!Files.exists(root)) {
      throw new IllegalArgumentException("dataset not found: " + root);
    }
    DatasetFormat f = format != null ? format : DatasetFormat.detect(root).orElseThrow(() ->
        new IllegalArgumentException("cannot tell the layout of dataset " + root + ": expected corpus.jsonl (BEIR), "
            + "collection.tsv (MS MARCO), psgs_w100.tsv or passages.tsv (DPR), or SQuAD .json files"));
    return switch (f) {
      case BEIR -> new BeirDataset(root);
      case MSMARCO -> new MsMarcoDataset(root);
      case DPR -> new DprDataset(root);
      case SQUAD -> new SquadDataset(root);
    };
  }
}
