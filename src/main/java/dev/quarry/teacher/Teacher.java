package dev.quarry.teacher;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.Checksums;
import dev.quarry.rerank.Calibration;
import dev.quarry.rerank.PairJudge;
import dev.quarry.util.Progress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fusion teacher at work: each member scores a query's passages, the scores are z-scored against the member's own
 * top {@code normalizationDepth} for the query ({@link ZScore}), and the teacher's score is their weighted sum; its
 * probability is the calibrated sigmoid of that sum. Members hold the corpus's BM25 index and dense vectors open
 * until {@link #close}.
 */
public final class Teacher implements PairJudge, AutoCloseable {
  private final List<TeacherMember> members;
  private final double[] weights;
  private final int normalizationDepth;
  private final Calibration calibration;

  private Teacher(List<TeacherMember> members, double[] weights, int normalizationDepth, Calibration calibration) {
    this.members = members;
    this.weights = weights.clone();
    this.normalizationDepth = normalizationDepth;
    this.calibration = calibration;
  }

  /** The fitted teacher over {@code dataset}'s corpus. */
  public static Teacher open(FittedTeacher fitted, Dataset dataset, Path cacheRoot, Progress progress) {
    return new Teacher(openMembers(fitted.members(), dataset, cacheRoot, progress), fitted.weights(),
        fitted.normalizationDepth(), fitted.calibration());
  }

  /** What identifies the members' scores ({@link TeacherMember#fingerprint}), in the teacher's order. */
  public String membersFingerprint() {
    StringBuilder parts = new StringBuilder();
    members.forEach(m -> parts.append(m.fingerprint()).append('\n'));
    return Checksums.sha256(parts.toString());
  }

  /** Opens each named member: {@code bm25}, or a bundled model name or model directory for a dense one. */
  static List<TeacherMember> openMembers(List<String> names, Dataset dataset, Path cacheRoot, Progress progress) {
    List<TeacherMember> opened = new ArrayList<>();
    try {
      for (String name : names) {
        opened.add(name.equals(Bm25Member.NAME) ? new Bm25Member(dataset, cacheRoot, progress)
            : new DenseMember(name, dataset, cacheRoot, progress));
      }
    } catch (RuntimeException e) {
      opened.forEach(TeacherMember::close);
      throw e;
    }
    return opened;
  }

  /** Each member's normalized scores of {@code docIds}: {@code features[member][doc]}. */
  static float[][] features(List<TeacherMember> members, int normalizationDepth, Query query, List<String> docIds) {
    float[][] out = new float[members.size()][];
    for (int m = 0; m < out.length; m++) {
      TeacherMember.Scores s = members.get(m).score(query, docIds, normalizationDepth);
      out[m] = ZScore.normalize(s.candidates(), s.top());
    }
    return out;
  }

  /** The weighted sum of the features of each document. */
  static float[] fuse(float[][] features, double[] weights) {
    int n = features.length == 0 ? 0 : features[0].length;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      double s = 0;
      for (int m = 0; m < features.length; m++) {
        s += weights[m] * features[m][i];
      }
      out[i] = (float) s;
    }
    return out;
  }

  @Override
  public float[] score(Query query, List<Passage> passages) {
    return fuse(features(members, normalizationDepth, query, passages.stream().map(Passage::id).toList()), weights);
  }

  @Override
  public double probability(float score) {
    return calibration.probability(score);
  }

  @Override
  public void close() {
    members.forEach(TeacherMember::close);
  }
}
