package dev.quarry.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A dataset in MS MARCO's passage layout. A split {@code S} is {@code queries.S.tsv} with {@code qrels.S.tsv}; its
 * queries are those of the queries file that have judgments (as {@code queries.dev.small.tsv} with
 * {@code qrels.dev.small.tsv}). Every judged query must be in the queries file.
 */
final class MsMarcoDataset implements Dataset {
  private static final Pattern QRELS = Pattern.compile("qrels\\.(.+)\\.tsv(?:\\.gz)?");
  private final Path root;

  MsMarcoDataset(Path root) {
    this.root = root;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public DatasetFormat format() {
    return DatasetFormat.MSMARCO;
  }

  @Override
  public void forEachPassage(Consumer<Passage> sink) {
    MsMarcoFormat.readCollection(corpusFiles().get(0), sink);
  }

  @Override
  public List<Path> corpusFiles() {
    return List.of(SplitFiles.first(root, "collection.tsv").orElse(root.resolve("collection.tsv")));
  }

  @Override
  public List<String> splits() {
    return SplitFiles.splits(root, QRELS);
  }

  @Override
  public List<Query> queries(String split) {
    Qrels qrels = qrels(split);
    return readQueries(split).stream().filter(q -> qrels.queryIds().contains(q.id())).toList();
  }

  @Override
  public Qrels qrels(String split) {
    requireSplit(split);
    Qrels qrels = MsMarcoFormat.readQrels(SplitFiles.first(root, "qrels." + split + ".tsv").orElseThrow());
    Set<String> known = new java.util.HashSet<>();
    readQueries(split).forEach(q -> known.add(q.id()));
    for (String qid : qrels.queryIds()) {
      if (!known.contains(qid)) {
        String doc = qrels.judgments(qid).keySet().iterator().next();
        throw qrels.errorAt(qid, doc, "query id \"" + qid + "\" is not in queries." + split + ".tsv");
      }
    }
    return qrels;
  }

  private List<Query> readQueries(String split) {
    Path file = SplitFiles.first(root, "queries." + split + ".tsv").orElseThrow(() ->
        new IllegalArgumentException("dataset " + root + " has qrels." + split + ".tsv but no queries." + split + ".tsv"));
    return MsMarcoFormat.readQueries(file);
  }
}
