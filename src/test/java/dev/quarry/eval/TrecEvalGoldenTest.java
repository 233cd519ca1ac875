package dev.quarry.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Qrels;
import dev.quarry.data.Run;
import dev.quarry.data.TrecFormat;
import dev.quarry.io.DataFormatException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Quarry's evaluator against golden outputs of the official trec_eval 9.0.8 (see
 * src/test/resources/trec_eval/README.md for how they were made): every value of every measure Quarry implements,
 * per query and averaged, on fixtures with ties, graded and negative judgments, unjudged documents, missing queries,
 * float-precision scores and odd file formatting, under -c, no -c, -l 2 and -M 5.
 */
class TrecEvalGoldenTest {
  private static final Pattern CUT = Pattern.compile("(P|recall|ndcg_cut|map_cut)_(\\d+)");
  private static final double TOLERANCE = 5e-5 + 1e-9;   // golden values are printed with 4 decimals

  static Path dir() {
    try {
      return Path.of(TrecEvalGoldenTest.class.getResource("/trec_eval/README.md").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> goldenFiles() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String fixture : List.of("ties", "graded", "unjudged", "coverage", "scores", "short", "format", "random")) {
      cases.add(Arguments.of(fixture, "c.all_trec", new EvalConfig(1, true, Integer.MAX_VALUE)));
      cases.add(Arguments.of(fixture, "noc.all_trec", new EvalConfig(1, false, Integer.MAX_VALUE)));
      cases.add(Arguments.of(fixture, "c.l2.all_trec", new EvalConfig(2, true, Integer.MAX_VALUE)));
      cases.add(Arguments.of(fixture, "c.M5.all_trec", new EvalConfig(1, true, 5)));
      cases.add(Arguments.of(fixture, "c.custom", new EvalConfig(1, true, Integer.MAX_VALUE)));
      cases.add(Arguments.of(fixture, "noc.custom", new EvalConfig(1, false, Integer.MAX_VALUE)));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}.{1}")
  @MethodSource("goldenFiles")
  void equalsTrecEval(String fixture, String variant, EvalConfig config) throws IOException {
    Qrels qrels = TrecFormat.readQrels(dir().resolve(fixture + ".qrels"));
    Run run = TrecFormat.readRun(dir().resolve(fixture + ".run"));
    int checked = compareWithGolden(qrels, run, config, dir().resolve(fixture + "." + variant + ".txt"));
    assertThat(checked).as("golden values compared").isGreaterThan(10);
  }

  /** Compares every golden line Quarry has a measure for; returns how many were compared. */
  static int compareWithGolden(Qrels qrels, Run run, EvalConfig config, Path golden) throws IOException {
    Map<String, Map<String, Double>> expected = parse(golden);   // measure -> qid -> value
    List<Metric> metrics = new ArrayList<>();
    Map<Metric, String> names = new HashMap<>();
    for (String name : expected.keySet()) {
      Metric m = toMetric(name);
      if (m != null) {
        metrics.add(m);
        names.put(m, name);
      }
    }
    EvalReport report = new Evaluator(config).evaluate(qrels, run, metrics);
    int checked = 0;
    for (Metric m : metrics) {
      for (Map.Entry<String, Double> e : expected.get(names.get(m)).entrySet()) {
        double actual = e.getKey().equals("all") ? report.mean(m) : report.value(e.getKey(), m);
        assertThat(actual).as("%s %s in %s", names.get(m), e.getKey(), golden.getFileName())
            .isCloseTo(e.getValue(), org.assertj.core.data.Offset.offset(TOLERANCE));
        checked++;
      }
    }
    Map<String, Double> numQ = expected.get("num_q");
    if (numQ != null) {
      assertThat(report.numQueries()).as("num_q in %s", golden.getFileName()).isEqualTo(numQ.get("all").intValue());
    }
    return checked;
  }

  private static Metric toMetric(String name) {
    Matcher m = CUT.matcher(name);
    if (m.matches()) {
      int k = Integer.parseInt(m.group(2));
      return switch (m.group(1)) {
        case "P" -> new Metric(MetricKind.PRECISION, k);
        case "recall" -> new Metric(MetricKind.RECALL, k);
        case "ndcg_cut" -> new Metric(MetricKind.NDCG, k);
        default -> new Metric(MetricKind.MAP, k);
      };
    }
    return switch (name) {
      case "map" -> new Metric(MetricKind.MAP, 0);
      case "ndcg" -> new Metric(MetricKind.NDCG, 0);
      case "recip_rank" -> new Metric(MetricKind.MRR, 0);
      case "Rprec" -> new Metric(MetricKind.RPREC, 0);
      default -> null;
    };
  }

  private static Map<String, Map<String, Double>> parse(Path golden) throws IOException {
    Map<String, Map<String, Double>> values = new HashMap<>();
    for (String line : Files.readAllLines(golden)) {
      String[] f = line.split("\t");
      if (f.length != 3 || f[0].strip().equals("runid") || f[0].strip().equals("relstring")) {
        continue;
      }
      values.computeIfAbsent(f[0].strip(), k -> new HashMap<>()).put(f[1], Double.parseDouble(f[2]));
    }
    return values;
  }

  @Test
  void beirQrelsTwinGivesTheSameNumbers() throws IOException {
    Qrels beir = BeirFormat.readQrels(dir().resolve("random.beir.tsv"));
    Run run = TrecFormat.readRun(dir().resolve("random.run"));
    assertThat(compareWithGolden(beir, run, EvalConfig.DEFAULT, dir().resolve("random.c.all_trec.txt")))
        .isGreaterThan(1000);
    assertThat(TrecFormat.readAnyQrels(dir().resolve("random.beir.tsv")).size())
        .isEqualTo(TrecFormat.readAnyQrels(dir().resolve("random.qrels")).size());
  }

  @Test
  void runTagIsTheLastLinesAsInTrecEval() {
    assertThat(TrecFormat.readRun(dir().resolve("format.run")).tag()).isEqualTo("LASTTAG");
  }

  @Test
  void duplicateDocumentInARunIsAnErrorNamingTheLine() {
    assertThatThrownBy(() -> TrecFormat.readRun(dir().resolve("dup_run.run")))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("dup_run.run:")
        .hasMessageContaining("retrieved twice");
  }

  @Test
  void duplicateJudgmentIsAnErrorEvenWhereTrecEvalWouldNotNotice() {
    // trec_eval only fails when the query is in the run; Quarry rejects the qrels file itself (stricter, on purpose).
    for (String name : List.of("dup_qrels.qrels", "dup_qrels_unused.qrels")) {
      assertThatThrownBy(() -> TrecFormat.readQrels(dir().resolve(name)))
          .isInstanceOf(DataFormatException.class)
          .hasMessageContaining(name + ":")
          .hasMessageContaining("twice (first at line");
    }
  }
}
