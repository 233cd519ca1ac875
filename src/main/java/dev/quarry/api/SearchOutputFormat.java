package dev.quarry.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.data.MsMarcoFormat;
import dev.quarry.data.Query;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

/** The files {@code quarry search} writes a run as. */
public enum SearchOutputFormat {
  /** TREC's six columns ({@code qid Q0 docid rank score tag}), what trec_eval and {@code quarry eval} read. */
  TREC,
  /** MS MARCO's submission format: {@code qid<TAB>docid<TAB>rank}. */
  MSMARCO,
  /**
   * One JSON object per hit: {@code query_id}, {@code query}, {@code rank}, {@code doc_id}, {@code score},
   * {@code title}, {@code text} (the passage as the index stores it).
   */
  JSONL;

  /** Writes {@code run} (of {@code queries}, over {@code index}'s passages) to {@code file}, atomically. */
  public void write(Path file, Run run, List<Query> queries, SearchIndex index) {
    switch (this) {
      case TREC -> TrecFormat.writeRun(file, run);
      case MSMARCO -> MsMarcoFormat.writeRun(file, run);
      case JSONL -> writeJsonl(file, run, queries, index);
    }
  }

  private static void writeJsonl(Path file, Run run, List<Query> queries, SearchIndex index) {
    try (AtomicOutput out = AtomicOutput.create(file)) {
      Writer w = out.writer();
      for (Query q : queries) {
        for (Hit hit : index.hits(run.docs(q.id()))) {
          ObjectNode o = JsonLines.MAPPER.createObjectNode();
          o.put("query_id", q.id()).put("query", q.text()).put("rank", hit.rank()).put("doc_id", hit.id())
              .put("score", hit.score()).put("title", hit.title()).put("text", hit.text());
          w.write(JsonLines.MAPPER.writeValueAsString(o));
          w.write('\n');
        }
      }
      out.commit();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
