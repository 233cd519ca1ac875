package dev.quarry.mine;

import dev.quarry.io.Fixtures;
import java.nio.file.Path;

/** A tiny BEIR dataset with a hand-written run, and a tiny SQuAD one, for mining tests. */
final class MiningFixtures {
  private MiningFixtures() {
  }

  /**
   * Twelve passages d1..d12; queries q1..q5 judged in train:
   * q1 relevant d1 (1) and d2 (2), judged not relevant d3 (0); q2 relevant d5; q3 relevant d7;
   * q4 judged only d8 with 0 (no positive, skipped); q5 relevant d9 and absent from the run.
   */
  static Path beir(Path dir) {
    StringBuilder corpus = new StringBuilder();
    for (int i = 1; i <= 12; i++) {
      corpus.append("{\"_id\": \"d").append(i).append("\", \"title\": \"Title ").append(i)
          .append("\", \"text\": \"Text of passage ").append(i).append(".\"}\n");
    }
    Fixtures.write(dir.resolve("corpus.jsonl"), corpus.toString());
    Fixtures.write(dir.resolve("queries.jsonl"), """
        {"_id": "q1", "text": "first query"}
        {"_id": "q2", "text": "second query"}
        {"_id": "q3", "text": "third query"}
        {"_id": "q4", "text": "fourth query"}
        {"_id": "q5", "text": "fifth query"}
        """);
    Fixtures.write(dir.resolve("qrels/train.tsv"), """
        query-id\tcorpus-id\tscore
        q1\td1\t1
        q1\td2\t2
        q1\td3\t0
        q2\td5\t1
        q3\td7\t1
        q4\td8\t0
        q5\td9\t1
        """);
    return dir;
  }

  /**
   * A TREC run whose rank column and line order are deliberately wrong: ranks come from the scores. In trec_eval
   * order, q1 ranks d2 d4 d1 d3 d5 d6 d7 d8 d10 d11 (ranks 1-10); q2 ranks d5 d6 d1 d2; q3 ranks d8 d7 (a tie broken
   * by id descending) then d9; q4 ranks d8; q5 is absent.
   */
  static Path run(Path file) {
    return Fixtures.write(file, """
        q1 Q0 d3 1 7.0 bm25
        q1 Q0 d2 2 10.0 bm25
        q1 Q0 d4 3 9.0 bm25
        q1 Q0 d1 4 8.0 bm25
        q1 Q0 d5 5 6.0 bm25
        q1 Q0 d6 6 5.0 bm25
        q1 Q0 d7 7 4.0 bm25
        q1 Q0 d8 8 3.0 bm25
        q1 Q0 d10 9 2.0 bm25
        q1 Q0 d11 10 1.0 bm25
        q2 Q0 d5 1 5.0 bm25
        q2 Q0 d6 2 4.0 bm25
        q2 Q0 d1 3 3.0 bm25
        q2 Q0 d2 4 2.0 bm25
        q3 Q0 d7 1 2.0 bm25
        q3 Q0 d8 2 2.0 bm25
        q3 Q0 d9 3 1.0 bm25
        q4 Q0 d8 1 1.0 bm25
        """);
  }

  /**
   * SQuAD v1.1 with one article of four paragraphs and two questions. s1 asks who won (answer "Denver Broncos"), its
   * gold paragraph is p0; p1 and p3 also name the Broncos (p3 in other casing), p2 does not. s2 asks where (answer
   * "Santa Clara"), gold p2; only p2 names it.
   */
  static Path squad(Path dir) {
    Fixtures.write(dir.resolve("dev.json"), """
        {"version": "1.1", "data": [
          {"title": "Super_Bowl_50", "paragraphs": [
            {"context": "The Denver Broncos defeated the Carolina Panthers to win Super Bowl 50.", "qas": [
              {"id": "s1", "question": "Which team won Super Bowl 50?",
               "answers": [{"answer_start": 4, "text": "Denver Broncos"}]}]},
            {"context": "The Denver Broncos had won two earlier Super Bowls.", "qas": []},
            {"context": "The game was played at Levi's Stadium in Santa Clara, California.", "qas": [
              {"id": "s2", "question": "Where was Super Bowl 50 played?",
               "answers": [{"answer_start": 41, "text": "Santa Clara"}]}]},
            {"context": "Fans of the DENVER BRONCOS celebrated downtown.", "qas": []}
          ]}
        ]}
        """);
    return dir;
  }

  static Path squadRun(Path file) {
    return Fixtures.write(file, """
        s1 Q0 Super_Bowl_50_p1 1 9.0 bm25
        s1 Q0 Super_Bowl_50_p0 2 8.0 bm25
        s1 Q0 Super_Bowl_50_p2 3 7.0 bm25
        s1 Q0 Super_Bowl_50_p3 4 6.0 bm25
        s2 Q0 Super_Bowl_50_p0 1 3.0 bm25
        s2 Q0 Super_Bowl_50_p2 2 2.0 bm25
        """);
  }
}
