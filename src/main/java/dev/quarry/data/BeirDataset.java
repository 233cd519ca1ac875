package dev.quarry.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A dataset in BEIR's layout. Query ids named in a split's qrels must exist in {@code queries.jsonl}. */
final class BeirDataset implements Dataset {
  private static final Pattern QRELS = Pattern.compile("(.+)\\.tsv(?:\\.gz)?");
  private final Path root;
  private List<Query> allQueries;

  BeirDataset(Path root) {
    this.root = root;
  }

  @Override
  public Path root() {
    return root;
  }

  @Override
  public DatasetFormat format() {
    return DatasetFormat.BEIR;
  }

  @Override
  public void forEachPassage(Consumer<Passage> sink) {
    BeirFormat.readCorpus(corpusFiles().get(0), sink);
  }

  @Override
  public List<Path> corpusFiles() {
    return List.of(SplitFiles.first(root, "corpus.jsonl").orElse(root.resolve("corpus.jsonl")));
  }

  @Override
  public List<String> splits() {
    return SplitFiles.splits(root.resolve("qrels"), QRELS);
  }

  @Override
  public List<Query> queries(String split) {
    Qrels qrels = qrels(split);
    return allQueries().stream().filter(q -> qrels.queryIds().contains(q.id())).toList();
  }

  @Override
  public Qrels qrels(String split) {
    requireSplit(split);
    Qrels qrels = BeirFormat.readQrels(SplitFiles.first(root.resolve("qrels"), split + ".tsv").orElseThrow());
    Set<String> known = allQueries().stream().map(Query::id).collect(Collectors.toSet());
    for (String qid : qrels.queryIds()) {
      if (!known.contains(qid)) {
        String doc = qrels.judgments(qid).keySet().iterator().next();
        throw qrels.errorAt(qid, doc, "query id \"" + qid + "\" is not in " + root.resolve("queries.jsonl"));
      }
    }
    return qrels;
  }

  private synchronized List<Query> allQueries() {
    if (allQueries == null) {
      allQueries = BeirFormat.readQueries(SplitFiles.first(root, "queries.jsonl").orElse(root.resolve("queries.jsonl")));
    }
    return allQueries;
  }
}
