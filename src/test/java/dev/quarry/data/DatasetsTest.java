package dev.quarry.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.quarry.io.DataFormatException;
import dev.quarry.io.Fixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @TempDir
  Path dir;

  private static List<Passage> passages(Dataset d) {
    List<Passage> out = new ArrayList<>();
    d.forEachPassage(out::add);
    return out;
  }

  private Path beir() {
    Path root = dir.resolve("beir");
    Fixtures.write(root.resolve("corpus.jsonl"), """
        {"_id": "d1", "title": "T1", "text": "one"}
        {"_id": "d2", "title": "T2", "text": "two"}
        {"_id": "d3", "text": "three"}
        """);
    Fixtures.write(root.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "first"}
        {"_id": "q2", "text": "second"}
        {"_id": "q3", "text": "third"}
        {"_id": "q4", "text": "unjudged"}
        """);
    Fixtures.write(root.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq3\td1\t1\nq1\td2\t1\nq1\td3\t2\n");
    Fixtures.write(root.resolve("qrels/train.tsv"), "q2\td1\t1\n");
    return root;
  }

  @Test
  void opensBeir() {
    Dataset d = Datasets.open(beir());
    assertThat(d.format()).isEqualTo(DatasetFormat.BEIR);
    assertThat(d.root()).isEqualTo(dir.resolve("beir"));
    assertThat(d.splits()).containsExactly("test", "train");
    assertThat(passages(d)).extracting(Passage::id).containsExactly("d1", "d2", "d3");
    assertThat(d.corpusFiles()).containsExactly(dir.resolve("beir/corpus.jsonl"));
    // only the split's judged queries, in the order of queries.jsonl (not of the qrels)
    assertThat(d.queries("test")).containsExactly(new Query("q1", "first"), new Query("q3", "third"));
    assertThat(d.queries("train")).containsExactly(new Query("q2", "second"));
    assertThat(d.qrels("test").size()).isEqualTo(3);
    assertThat(d.qrels("test").judgments("q1")).containsExactly(entry("d2", 1), entry("d3", 2));
    assertThat(d.answers("test")).isEmpty();
  }

  @Test
  void beirWithGzippedFiles() {
    Path root = dir.resolve("gz");
    Fixtures.writeGzip(root.resolve("corpus.jsonl.gz"), "{\"_id\": \"a\", \"text\": \"x\"}\n");
    Fixtures.writeGzip(root.resolve("queries.jsonl.gz"), "{\"_id\": \"q\", \"text\": \"y\"}\n");
    Fixtures.writeGzip(root.resolve("qrels/dev.tsv.gz"), "q\ta\t1\n");
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.BEIR);
    assertThat(d.splits()).containsExactly("dev");
    assertThat(passages(d)).extracting(Passage::id).containsExactly("a");
    assertThat(d.queries("dev")).containsExactly(new Query("q", "y"));
  }

  @Test
  void unknownSplitThrowsNamingTheKnownSplits() {
    Dataset d = Datasets.open(beir());
    assertThatThrownBy(() -> d.requireSplit("dev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"dev\"")
        .hasMessageContaining("[test, train]");
    assertThatThrownBy(() -> d.queries("dev")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[test, train]");
    assertThatThrownBy(() -> d.qrels("dev")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[test, train]");
    d.requireSplit("test");
  }

  @Test
  void beirQrelsNamingAnUnknownQueryThrowsAtItsLine() {
    Path root = beir();
    Fixtures.write(root.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq9\td2\t1\nq3\td1\t1\n");
    Dataset d = Datasets.open(root);
    assertThatThrownBy(() -> d.queries("test"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("test.tsv:3:")
        .hasMessageContaining("\"q9\"")
        .hasMessageContaining("queries.jsonl")
        .satisfies(e -> assertThat(((DataFormatException) e).file()).isEqualTo(root.resolve("qrels/test.tsv")));
    assertThatThrownBy(() -> d.qrels("test")).isInstanceOf(DataFormatException.class).hasMessageContaining("test.tsv:3:");
  }

  @Test
  void corpusChecksumChangesWithAnyCorpusByte() {
    Path root = beir();
    Dataset d = Datasets.open(root);
    String before = d.corpusChecksum();
    assertThat(before).hasSize(64).matches("[0-9a-f]+");
    assertThat(Datasets.open(root).corpusChecksum()).isEqualTo(before);
    // queries and qrels are not part of the corpus
    Fixtures.write(root.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"changed\"}\n");
    assertThat(d.corpusChecksum()).isEqualTo(before);

    byte[] bytes = Fixtures.utf8(Fixtures.read(root.resolve("corpus.jsonl")));
    bytes[bytes.length - 5] ^= 1;   // one bit of one byte
    Fixtures.writeBytes(root.resolve("corpus.jsonl"), bytes);
    String after = d.corpusChecksum();
    assertThat(after).isNotEqualTo(before);
  }

  private Path msmarco() {
    Path root = dir.resolve("msmarco");
    Fixtures.write(root.resolve("collection.tsv"), "0\tzero\n1\tone\n2\ttwo\n");
    Fixtures.write(root.resolve("queries.dev.small.tsv"), "100\tq hundred\n200\tq two hundred\n300\tunjudged\n");
    Fixtures.write(root.resolve("qrels.dev.small.tsv"), "200\t0\t1\t1\n100\t0\t2\t1\n");
    Fixtures.write(root.resolve("queries.train.tsv"), "5\tfive\n");
    Fixtures.write(root.resolve("qrels.train.tsv"), "5\t0\t0\t1\n");
    return root;
  }

  @Test
  void opensMsMarco() {
    Dataset d = Datasets.open(msmarco());
    assertThat(d.format()).isEqualTo(DatasetFormat.MSMARCO);
    assertThat(d.splits()).containsExactly("dev.small", "train");
    assertThat(passages(d)).containsExactly(new Passage("0", "", "zero"), new Passage("1", "", "one"), new Passage("2", "", "two"));
    assertThat(d.queries("dev.small")).extracting(Query::id).containsExactly("100", "200");
    assertThat(d.qrels("dev.small").relevance("100", "2")).contains(1);
    assertThat(d.queries("train")).containsExactly(new Query("5", "five"));
    assertThatThrownBy(() -> d.queries("dev")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[dev.small, train]");
  }

  @Test
  void msMarcoQrelsNamingAnUnknownQueryThrowsAtItsLine() {
    Path root = msmarco();
    Fixtures.write(root.resolve("qrels.train.tsv"), "5\t0\t0\t1\n6\t0\t1\t1\n");
    assertThatThrownBy(() -> Datasets.open(root).queries("train"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("qrels.train.tsv:2:")
        .hasMessageContaining("\"6\"");
  }

  @Test
  void opensDpr() {
    Path root = dir.resolve("dpr");
    Fixtures.write(root.resolve("psgs_w100.tsv"), "id\ttext\ttitle\n11828866\t\"a duet \"\"by\"\" Reba\"\tDoes He Love You\n"
        + "3\thard neg\tReba\n4\tx\tY\n");
    Fixtures.write(root.resolve("train.json"), DprFormatTest.TRAIN_JSON);
    Fixtures.writeGzip(root.resolve("dev.json.gz"), """
        [{"question": "q dev", "answers": ["x"], "positive_ctxs": [
          {"title": "Y", "text": "x", "passage_id": "4"}, {"title": "Y", "text": "x", "passage_id": "4"},
          {"title": "R", "text": "h", "passage_id": "3"}]}]
        """);
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.DPR);
    assertThat(d.splits()).containsExactly("dev", "train");
    assertThat(d.corpusFiles()).containsExactly(root.resolve("psgs_w100.tsv"));
    assertThat(passages(d)).containsExactly(
        new Passage("11828866", "Does He Love You", "a duet \"by\" Reba"),
        new Passage("3", "Reba", "hard neg"),
        new Passage("4", "Y", "x"));

    assertThat(d.queries("train")).containsExactly(
        new Query("train-0", "who sings does he love me with reba"),
        new Query("train-1", "how many episodes are in chicago fire season 4"));
    Qrels train = d.qrels("train");
    // only positives with a passage id are judgments; negatives are not
    assertThat(train.size()).isEqualTo(1);
    assertThat(train.judgments("train-0")).containsExactly(entry("11828866", 1));
    assertThat(train.judgments("train-1")).isEmpty();
    assertThat(d.answers("train")).hasValueSatisfying(a -> assertThat(a).containsExactly(
        entry("train-0", List.of("Linda Davis")), entry("train-1", List.of("23", "twenty-three"))));

    // a positive listed twice is judged once
    assertThat(d.qrels("dev").judgments("dev-0")).containsExactly(entry("4", 1), entry("3", 1));
    assertThat(d.queries("dev")).containsExactly(new Query("dev-0", "q dev"));
  }

  @Test
  void dprPassagesFileMayHaveOtherNames() {
    Path root = dir.resolve("dpr2");
    Fixtures.write(root.resolve("psgs_subset.tsv"), "id\ttext\ttitle\n1\tt\tT\n");
    Fixtures.write(root.resolve("nq-dev.json"), "[]");
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.DPR);
    assertThat(d.splits()).containsExactly("nq-dev");
    assertThat(d.queries("nq-dev")).isEmpty();
    Fixtures.write(root.resolve("passages.tsv"), "id\ttext\ttitle\n2\tu\tU\n");
    assertThat(passages(Datasets.open(root))).extracting(Passage::id).containsExactly("2");
  }

  @Test
  void opensSquadFolderAndFile() {
    Path root = dir.resolve("squad");
    Fixtures.write(root.resolve("dev-v1.1.json"), SquadFormatTest.DEV_JSON);
    Dataset d = Datasets.open(root);
    assertThat(d.format()).isEqualTo(DatasetFormat.SQUAD);
    assertThat(d.splits()).containsExactly("dev", "dev.train", "dev.test");
    assertThat(passages(d)).extracting(Passage::id).containsExactly("Super_Bowl_50_p0", "Super_Bowl_50_p1", "Warsaw_p0");
    assertThat(d.queries("dev")).hasSize(4);
    assertThat(d.qrels("dev").size()).isEqualTo(4);
    assertThat(d.answers("dev")).hasValueSatisfying(a -> assertThat(a).hasSize(4).containsEntry("q3", List.of("February 7, 2016")));
    assertThat(d.corpusFiles()).containsExactly(root.resolve("dev-v1.1.json"));

    Dataset file = Datasets.open(root.resolve("dev-v1.1.json"));
    assertThat(file.format()).isEqualTo(DatasetFormat.SQUAD);
    assertThat(file.splits()).containsExactly("dev", "dev.train", "dev.test");
    assertThat(file.queries("dev")).hasSize(4);
    assertThatThrownBy(() -> file.queries("train")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[dev, dev.train, dev.test]");
  }

  @Test
  void squadSplitsFromPlainJsonNames() {
    Path root = dir.resolve("squad2");
    Fixtures.write(root.resolve("train.json"), SquadFormatTest.DEV_JSON.replace("Warsaw", "Krakow"));
    Fixtures.write(root.resolve("dev-v1.1.json"), "{\"data\": [{\"title\": \"Only\", \"paragraphs\": [{\"context\": \"c\", \"qas\": []}]}]}");
    Dataset d = Datasets.open(root);
    assertThat(d.splits()).containsExactly("dev", "dev.train", "dev.test", "train", "train.train", "train.test");
    assertThat(passages(d)).extracting(Passage::id).containsExactly("Only_p0", "Super_Bowl_50_p0", "Super_Bowl_50_p1", "Krakow_p0");
    assertThat(d.queries("train")).hasSize(4);
  }

  @Test
  void squadArticleSplitsPutEveryFifthArticleInTest() {
    StringBuilder json = new StringBuilder("{\"data\": [");
    for (int a = 0; a < 11; a++) {
      json.append(a == 0 ? "" : ",").append("{\"title\": \"A").append(a).append("\", \"paragraphs\": [{\"context\": \"c")
          .append(a).append("\", \"qas\": [{\"id\": \"q").append(a).append("\", \"question\": \"x?\", \"answers\": [{\"text\": \"c")
          .append(a).append("\"}]}]}]}");
    }
    Path root = Fixtures.write(dir.resolve("articles/dev-v1.1.json"), json.append("]}").toString()).getParent();
    Dataset d = Datasets.open(root);
    assertThat(d.queries("dev.test")).extracting(Query::id).containsExactly("q4", "q9");
    assertThat(d.queries("dev.train")).extracting(Query::id)
        .containsExactly("q0", "q1", "q2", "q3", "q5", "q6", "q7", "q8", "q10");
    assertThat(d.qrels("dev.test").queryIds()).containsExactly("q4", "q9");
    assertThat(d.qrels("dev.test").judgments("q9")).containsExactly(entry("A9_p0", 1));
    assertThat(d.answers("dev.test")).hasValueSatisfying(a -> assertThat(a).containsOnlyKeys("q4", "q9"));
    assertThat(passages(d)).hasSize(11);   // the corpus is every article's paragraphs, whatever the split
  }

  @Test
  void detectionOrderAndFailures() {
    Path both = dir.resolve("both");
    Fixtures.write(both.resolve("corpus.jsonl"), "");
    Fixtures.write(both.resolve("extra.json"), "{}");
    assertThat(DatasetFormat.detect(both)).contains(DatasetFormat.BEIR);

    Path mm = dir.resolve("mm");
    Fixtures.writeGzip(mm.resolve("collection.tsv.gz"), "");
    assertThat(DatasetFormat.detect(mm)).contains(DatasetFormat.MSMARCO);

    Path empty = dir.resolve("empty");
    Fixtures.write(empty.resolve("notes.txt"), "hi");
    assertThat(DatasetFormat.detect(empty)).isEmpty();
    assertThatThrownBy(() -> Datasets.open(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot tell the layout");
    assertThatThrownBy(() -> Datasets.open(dir.resolve("missing")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dataset not found");

    // an explicit format overrides detection
    assertThat(Datasets.open(both, DatasetFormat.SQUAD).format()).isEqualTo(DatasetFormat.SQUAD);
  }

  @Test
  void beirDatasetReportsBadCorpusWithFileAndLine() {
    Path root = beir();
    Fixtures.write(root.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\", \"text\": \"b\"}\n");
    assertThatThrownBy(() -> passages(Datasets.open(root)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("corpus.jsonl:2:")
        .hasMessageContaining("first at line 1");
  }

  @Test
  void answersAreEmptyForBeirAndMsMarco() {
    assertThat(Datasets.open(msmarco()).answers("train")).isEmpty();
    Map<String, List<String>> none = Datasets.open(beir()).answers("test").orElse(Map.of());
    assertThat(none).isEmpty();
  }
}
