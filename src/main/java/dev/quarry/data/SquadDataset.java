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
 */
final class SquadDataset implements Dataset {
  private static final Pattern SPLIT = Pattern.compile("(.+?)(?:-v1\\.1)?\\.json");
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
    for (String split : splits()) {
      load(split).passages().forEach(sink);
    }
  }

  @Override
  public List<Path> corpusFiles() {
    return splits().stream().map(this::file).toList();
  }

  @Override
  public List<String> splits() {
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
    return loaded.computeIfAbsent(split, s -> SquadFormat.read(file(s)));
  }
}
