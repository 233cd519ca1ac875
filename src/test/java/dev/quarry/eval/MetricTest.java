package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MetricTest {
  @Test
  void parsesEveryDocumentedName() {
    assertThat(Metric.parseList("ndcg@10,recall@100,p@5,map,map@10,mrr,mrr@10,rprec,accuracy@20"))
        .extracting(Metric::name)
        .containsExactly("ndcg@10", "recall@100", "p@5", "map", "map@10", "mrr", "mrr@10", "rprec", "accuracy@20");
    assertThat(Metric.parse(" NDCG@10 ")).isEqualTo(new Metric(MetricKind.NDCG, 10));
    assertThat(Metric.parseList("ndcg@10,ndcg@10")).hasSize(1);
  }

  @Test
  void rejectsBadSpecsWithTheReason() {
    assertThatThrownBy(() -> Metric.parse("bleu@4")).hasMessageStartingWith("unknown metric \"bleu@4\"; known: ndcg");
    assertThatThrownBy(() -> Metric.parse("p")).hasMessage("bad metric \"p\": p needs a cutoff, as in p@10");
    assertThatThrownBy(() -> Metric.parse("rprec@5")).hasMessage("bad metric \"rprec@5\": rprec takes no cutoff");
    assertThatThrownBy(() -> Metric.parse("ndcg@0")).hasMessageContaining("must be 1 or more");
    assertThatThrownBy(() -> Metric.parseList(" , ")).hasMessage("no metric given");
  }
}
