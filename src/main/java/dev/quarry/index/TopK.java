package dev.quarry.index;

import dev.quarry.data.TrecOrder;

import dev.quarry.data.ScoredDoc;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The best {@code k} of a stream of (score, ordinal) pairs in trec_eval's order: a bounded min-heap whose root is the
 * worst kept hit. Ties go to the ordinal with the smaller tie rank (see {@link TrecOrder#tieRanks}), so the result
 * does not depend on the order the pairs arrive in. Not thread-safe.
 */
final class TopK {
  private final int k;
  private final int[] tieRanks;
  private final float[] scores;
  private final int[] ordinals;
  private int size;

  TopK(int k, int[] tieRanks) {
    this.k = k;
    this.tieRanks = tieRanks;
    int capacity = Math.min(k, tieRanks.length);
    this.scores = new float[capacity];
    this.ordinals = new int[capacity];
  }

  /** Offers a hit; it is kept when it beats the worst kept one or the heap is not full. NaN scores are dropped. */
  void offer(float score, int ordinal) {
    if (size < scores.length) {
      if (score == score) {
        scores[size] = score;
        ordinals[size] = ordinal;
        siftUp(size++);
      }
      return;
    }
    if (size == 0) {
      return;
    }
    float worst = scores[0];
    if (score > worst || (score == worst && tieRanks[ordinal] < tieRanks[ordinals[0]])) {
      scores[0] = score;
      ordinals[0] = ordinal;
      siftDown(0);
    }
  }

  /** The kept hits, best first, with ids looked up by ordinal. Empties the heap. */
  List<ScoredDoc> drain(IntFunction<String> ids) {
    ScoredDoc[] out = new ScoredDoc[size];
    while (size > 0) {
      int last = --size;
      out[last] = new ScoredDoc(ids.apply(ordinals[0]), scores[0]);
      scores[0] = scores[last];
      ordinals[0] = ordinals[last];
      if (last > 0) {
        siftDown(0);
      }
    }
    return List.of(out);
  }

  int size() {
    return size;
  }

  /** Whether hit a ranks below hit b (it would be dropped first). */
  private boolean worse(int a, int b) {
    float sa = scores[a];
    float sb = scores[b];
    return sa < sb || (sa == sb && tieRanks[ordinals[a]] > tieRanks[ordinals[b]]);
  }

  private void siftUp(int i) {
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(i, parent)) {
        return;
      }
      swap(i, parent);
      i = parent;
    }
  }

  private void siftDown(int i) {
    while (true) {
      int left = 2 * i + 1;
      if (left >= size) {
        return;
      }
      int child = left + 1 < size && worse(left + 1, left) ? left + 1 : left;
      if (!worse(child, i)) {
        return;
      }
      swap(i, child);
      i = child;
    }
  }

  private void swap(int a, int b) {
    float s = scores[a];
    scores[a] = scores[b];
    scores[b] = s;
    int o = ordinals[a];
    ordinals[a] = ordinals[b];
    ordinals[b] = o;
  }
}
