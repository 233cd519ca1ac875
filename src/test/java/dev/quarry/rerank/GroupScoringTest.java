package dev.quarry.rerank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.DataFormatException;
import dev.quarry.mine.TrainGroup;
import dev.quarry.util.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupScoringTest {
  private static final String JUDGE = "fingerprint-1";

  @TempDir
  Path tmp;

  /** Scores a pair by its passage text's length plus the query's, and records every pair it is asked about. */
  private static class CountingJudge implements PairJudge {
    final List<String> asked = new ArrayList<>();

    @Override
    public float[] score(Query query, List<Passage> passages) {
      float[] out = new float[passages.size()];
      for (int i = 0; i < out.length; i++) {
        asked.add(query.id() + "/" + passages.get(i).id());
        out[i] = passages.get(i).text().length() + query.text().length() / 10f;
      }
      return out;
    }

    @Override
    public double probability(float score) {
      return 0.5;
    }
  }

  private static List<TrainGroup> groups(String secondQuery) {
    return List.of(
        new TrainGroup("q1", "first", List.of(new Passage("a", "", "aaaa")),
            List.of(TrainGroup.Negative.ranked(new Passage("b", "", "bb"), "bm25", 1, 3.0))),
        new TrainGroup("q2", secondQuery, List.of(new Passage("c", "", "c")),
            List.of(TrainGroup.Negative.random(new Passage("a", "", "aaaa")))));
  }

  @Test
  void scoresEveryPassageOnceAndAResumedStageReadsTheCache() {
    Path cache = tmp.resolve("teacher-scores.jsonl");
    CountingJudge judge = new CountingJudge();
    List<TrainGroup> scored = GroupScoring.score(judge, JUDGE, groups("second"), cache, Progress.NONE);
    assertThat(judge.asked).containsExactly("q1/a", "q1/b", "q2/c", "q2/a");
    assertThat(scored.get(0).teacherScores()).containsEntry("a", 4.5).containsEntry("b", 2.5).containsKey("a");
    assertThat(scored.get(1).teacherScores()).containsEntry("c", (double) 1.6f).hasSize(2);

    CountingJudge again = new CountingJudge();
    assertThat(GroupScoring.score(again, JUDGE, groups("second"), cache, Progress.NONE)).isEqualTo(scored);
    assertThat(again.asked).as("everything came from the cache").isEmpty();

    // a query whose text changed is scored again; the others still come from the cache
    CountingJudge changed = new CountingJudge();
    GroupScoring.score(changed, JUDGE, groups("second, reworded"), cache, Progress.NONE);
    assertThat(changed.asked).containsExactly("q2/c", "q2/a");
  }

  @Test
  void scoresCachedByAnotherJudgeAreScoredAgainAndReplaced() throws Exception {
    Path cache = tmp.resolve("teacher-scores.jsonl");
    GroupScoring.score(new CountingJudge(), JUDGE, groups("second"), cache, Progress.NONE);
    assertThat(Files.readString(cache)).contains("\"judge\":\"" + JUDGE + "\"");

    CountingJudge other = new CountingJudge();
    GroupScoring.score(other, "fingerprint-2", groups("second"), cache, Progress.NONE);
    assertThat(other.asked).as("another judge's scores are not this one's").hasSize(4);
    assertThat(Files.readString(cache)).doesNotContain(JUDGE).contains("fingerprint-2");

    // a cache written before lines carried their judge counts as another judge's
    Files.writeString(cache, "{\"query_id\": \"q1\", \"query\": \"first\", \"scores\": {\"a\": 1, \"b\": 2}}\n");
    CountingJudge fresh = new CountingJudge();
    GroupScoring.score(fresh, JUDGE, groups("second"), cache, Progress.NONE);
    assertThat(fresh.asked).hasSize(4);
    assertThatThrownBy(() -> GroupScoring.score(fresh, " ", groups("second"), cache, Progress.NONE))
        .hasMessageContaining("fingerprint must be non-blank");
  }

  @Test
  void aRunKilledMidwayKeepsTheChunksItScored() {
    int n = GroupScoring.CHUNK + 10;
    List<TrainGroup> many = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      many.add(new TrainGroup("q" + i, "query " + i, List.of(new Passage("p" + i, "", "text " + i)), List.of()));
    }
    Path cache = tmp.resolve("scores.jsonl");
    CountingJudge dying = new CountingJudge() {
      @Override
      public float[] score(Query query, List<Passage> passages) {
        if (asked.size() == GroupScoring.CHUNK) {
          throw new IllegalStateException("killed");
        }
        return super.score(query, passages);
      }
    };
    assertThatThrownBy(() -> GroupScoring.score(dying, JUDGE, many, cache, Progress.NONE)).hasMessage("killed");
    CountingJudge resumed = new CountingJudge();
    List<TrainGroup> scored = GroupScoring.score(resumed, JUDGE, many, cache, Progress.NONE);
    assertThat(resumed.asked).as("only the chunk the kill interrupted").hasSize(10).startsWith("q" + GroupScoring.CHUNK
        + "/p" + GroupScoring.CHUNK);
    assertThat(scored).allSatisfy(g -> assertThat(g.teacherScores()).hasSize(1));
  }

  @Test
  void aDamagedCacheNamesFileAndLine() throws Exception {
    Path cache = tmp.resolve("teacher-scores.jsonl");
    Files.writeString(cache, "{\"query_id\": \"q1\", \"query\": \"first\", \"scores\": {\"a\": \"high\"}}\n");
    assertThatThrownBy(() -> GroupScoring.score(new CountingJudge(), JUDGE, groups("second"), cache, Progress.NONE))
        .isInstanceOf(DataFormatException.class).hasMessageStartingWith(cache + ":1: ")
        .hasMessageContaining("score of a must be a finite number");
  }
}
