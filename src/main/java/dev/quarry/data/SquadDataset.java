package dev.quarry.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * SQuAD v1.1 as a closed retrieval dataset (see {@link SquadFormat}). Opened on a folder, each {@code S-v1.1.json} or
 * {@code S.json} file is split {@code S} and the corpus is the paragraphs of all of them; opened on one file, that file
 * is the only split.
 *
 * <p>Each file split {@code S} also has two derived splits that divide its questions by article, so a retriever can
 * be trained and tested on one file without a test question's paragraph or article ever being a training target:
 * {@code S.test} holds the questions of every fifth article in file order (article indices 4, 9, 14, ...) and
 * {@code S.train} the questions of all other articles. The corpus stays the whole closed corpus. On SQuAD v1.1 dev
 * (48 articles) that is 8,595 training questions on 39 articles and 1,975 test questions on 9 articles.
 */
final class SquadDataset implements Dataset {
  private static final Pattern SPLIT = Pattern.compile("(.+?)(?:-v1\\.1)?\\.json");
  /** Every {@code TEST_EVERY}-th article (the last of each run of five) is a test article of a derived split. */
  static final int TEST_EVERY = 5;
  private final Path root;
  private final Map<String, SquadFormat.Collection> loaded = new LinkedHashMap<>();

  SquadDataset(Path root) {
    this.root = root;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public DatasetFormat format() {
    return DatasetFormat.SQUAD;
  }

  @Override
  public void forEachPassage(Consumer<Passage> sink) {
    for (String split : fileSplits()) {
      load(split).passages().forEach(sink);
    }
  }

  @Override
  public List<Path> corpusFiles() {
    return fileSplits().stream().map(this::file).toList();
  }

  @Override
  public List<String> splits() {
    List<String> all = new java.util.ArrayList<>();
    for (String s : fileSplits()) {
      all.add(s);
      all.add(s + "." + ArticleHalf.TRAIN.suffix);
      all.add(s + "." + ArticleHalf.TEST.suffix);
    }
    return List.copyOf(all);
  }

  /** Which articles of a file a derived split holds. */
  private enum ArticleHalf {
    TRAIN("train"), TEST("test");

    final String suffix;

    ArticleHalf(String suffix) {
      this.suffix = suffix;
    }

    boolean holds(int article) {
      return (article % TEST_EVERY == TEST_EVERY - 1) == (this == TEST);
    }
  }

  private List<String> fileSplits() {
    if (Files.isRegularFile(root)) {
      var m = SPLIT.matcher(root.getFileName().toString());
      return List.of(m.matches() ? m.group(1) : root.getFileName().toString());
    }
    return SplitFiles.splits(root, SPLIT);
  }

  @Override
  public List<Query> queries(String split) {
    return load(split).queries();
  }

  @Override
  public Qrels qrels(String split) {
    return load(split).qrels();
  }

  @Override
  public Optional<Map<String, List<String>>> answers(String split) {
    return Optional.of(load(split).answers());
  }

  private Path file(String split) {
    if (Files.isRegularFile(root)) {
      return root;
    }
    Path versioned = root.resolve(split + "-v1.1.json");
    return Files.exists(versioned) ? versioned : root.resolve(split + ".json");
  }

  private synchronized SquadFormat.Collection load(String split) {
    requireSplit(split);
    SquadFormat.Collection c = loaded.get(split);
    if (c == null) {
      for (ArticleHalf half : ArticleHalf.values()) {
        String suffix = "." + half.suffix;
        if (split.endsWith(suffix) && fileSplits().contains(split.substring(0, split.length() - suffix.length()))) {
          c = load(split.substring(0, split.length() - suffix.length())).restrictTo(half::holds);
        }
      }
      if (c == null) {
        c = SquadFormat.read(file(split));
      }
      loaded.put(split, c);
    }
    return c;
  }
}
