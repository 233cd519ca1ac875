package dev.quarry.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A dataset in DPR's layout: a passages TSV ({@code psgs_w100.tsv} or {@code passages.tsv}) and one
 * {@code <split>.json} file of DPR examples per split. The {@code i}-th example (0-based) of split {@code S} is query
 * {@code S-i}; its positives with a {@code passage_id} are its judgments (relevance 1), and its answers are kept for
 * answer accuracy.
 */
final class DprDataset implements Dataset {
  private static final Pattern SPLIT = Pattern.compile("(.+)\\.json(?:\\.gz)?");
  private final Path root;
  private final Map<String, Loaded> loaded = new LinkedHashMap<>();

  private record Loaded(List<Query> queries, Qrels qrels, Map<String, List<String>> answers) {
  }

  DprDataset(Path root) {
    this.root = root;
  }

  static Optional<Path> passagesFile(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    Optional<Path> named = SplitFiles.first(root, "psgs_w100.tsv", "passages.tsv");
    if (named.isPresent()) {
      return named;
    }
    try (Stream<Path> files = Files.list(root)) {
      return files.filter(p -> p.getFileName().toString().matches("psgs.*\\.tsv(\\.gz)?")).sorted().findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public DatasetFormat format() {
    return DatasetFormat.DPR;
  }

  @Override
  public void forEachPassage(Consumer<Passage> sink) {
    DprFormat.readPassages(corpusFiles().get(0), sink);
  }

  @Override
  public List<Path> corpusFiles() {
    return List.of(passagesFile(root).orElseThrow(() ->
        new IllegalArgumentException("DPR dataset " + root + " has no psgs_w100.tsv or passages.tsv")));
  }

  @Override
  public List<String> splits() {
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

  private synchronized Loaded load(String split) {
    requireSplit(split);
    return loaded.computeIfAbsent(split, s -> {
      Path file = SplitFiles.first(root, s + ".json").orElseThrow();
      List<Query> queries = new ArrayList<>();
      Qrels.Builder qrels = Qrels.builder(file);
      Map<String, List<String>> answers = new LinkedHashMap<>();
      DprFormat.readExamples(file, example -> {
        String qid = s + "-" + queries.size();
        queries.add(new Query(qid, example.question()));
        answers.put(qid, example.answers());
        example.positives().stream().map(DprFormat.Context::passageId).filter(java.util.Objects::nonNull).distinct()
            .forEach(pid -> qrels.add(qid, pid, 1, example.line()));
      });
      return new Loaded(List.copyOf(queries), qrels.build(), answers);
    });
  }
}
