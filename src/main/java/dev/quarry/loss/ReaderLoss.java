package dev.quarry.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.Arrays;

/**
 * DPR's reader loss (Karpukhin et al. 2020, section 6.1; {@code compute_loss} in facebookresearch/DPR
 * {@code dpr/models/reader.py}), for groups of {@code 1 + m} sequences per question with the positive passage first:
 * <ul>
 *   <li>passage selection: the softmax cross-entropy of the positive among the group's selection logits;
 *   <li>span: the negative log of the marginal likelihood of all answer spans in the positive passage, each span's
 *       likelihood {@code P(start) P(end)}, with the start and end distributions each a softmax over the positive
 *       sequence's passage tokens (the question, title and special tokens cannot hold an answer).
 * </ul>
 * The loss is the sum of the two, averaged over questions.
 */
public final class ReaderLoss {
  /** Added to the logits of tokens outside the passage: far below any logit, finite so that 0 x it stays 0. */
  static final float MASKED = -1e4f;

  private ReaderLoss() {
  }

  /** The answer targets of a batch's positive sequences. */
  public record Targets(int[] passageStart, int[] passageEnd, int[][] spanStarts, int[][] spanEnds) {
    public Targets {
      int g = passageStart.length;
      if (passageEnd.length != g || spanStarts.length != g || spanEnds.length != g) {
        throw new IllegalArgumentException("targets of unequal counts");
      }
      for (int i = 0; i < g; i++) {
        if (spanStarts[i].length == 0 || spanStarts[i].length != spanEnds[i].length) {
          throw new IllegalArgumentException("question " + i + " has no answer span or unpaired span ends");
        }
        for (int s = 0; s < spanStarts[i].length; s++) {
          if (spanStarts[i][s] < passageStart[i] || spanEnds[i][s] < spanStarts[i][s]
              || spanEnds[i][s] >= passageEnd[i]) {
            throw new IllegalArgumentException("question " + i + " has span [" + spanStarts[i][s] + ", "
                + spanEnds[i][s] + "] outside its passage tokens [" + passageStart[i] + ", " + passageEnd[i] + ")");
          }
        }
      }
    }

    public int questions() {
      return passageStart.length;
    }
  }

  /**
   * The mean loss over questions.
   *
   * @param start {@code [questions * groupSize, length]} start logits, group after group, the positive first
   * @param end {@code [questions * groupSize, length]} end logits
   * @param selection {@code [questions * groupSize]} selection logits
   * @param targets the positive sequences' passage tokens and answer spans
   */
  public static NDArray loss(NDArray start, NDArray end, NDArray selection, Targets targets) {
    int g = targets.questions();
    long rows = selection.getShape().get(0);
    if (g == 0 || rows % g != 0 || start.getShape().get(0) != rows || end.getShape().get(0) != rows) {
      throw new IllegalArgumentException(rows + " sequences are not " + g + " equal groups");
    }
    int size = Math.toIntExact(rows / g);
    int length = Math.toIntExact(start.getShape().get(1));
    NDManager m = start.getManager();
    NDArray selectionLoss = selection.reshape(g, size).logSoftmax(1).get(new NDIndex(":, 0")).neg().mean();

    int spans = 0;
    for (int[] s : targets.spanStarts()) {
      spans = Math.max(spans, s.length);
    }
    float[] mask = new float[g * length];
    float[] startHot = new float[g * spans * length];
    float[] endHot = new float[g * spans * length];
    float[] spanMask = new float[g * spans];
    Arrays.fill(mask, MASKED);
    for (int i = 0; i < g; i++) {
      Arrays.fill(mask, i * length + targets.passageStart()[i], i * length + targets.passageEnd()[i], 0f);
      for (int s = 0; s < spans; s++) {
        if (s < targets.spanStarts()[i].length) {
          startHot[(i * spans + s) * length + targets.spanStarts()[i][s]] = 1f;
          endHot[(i * spans + s) * length + targets.spanEnds()[i][s]] = 1f;
        } else {
          spanMask[i * spans + s] = MASKED;
        }
      }
    }
    NDArray passageMask = m.create(mask).reshape(g, length);
    NDIndex first = new NDIndex(":, 0, :");
    NDArray logStart = start.reshape(g, size, length).get(first).add(passageMask).logSoftmax(1).expandDims(1);   // [g, 1, length]
    NDArray logEnd = end.reshape(g, size, length).get(first).add(passageMask).logSoftmax(1).expandDims(1);
    NDArray spanLog = logStart.mul(m.create(startHot).reshape(g, spans, length)).sum(new int[] {2})
        .add(logEnd.mul(m.create(endHot).reshape(g, spans, length)).sum(new int[] {2}))
        .add(m.create(spanMask).reshape(g, spans));                                          // [g, spans]
    NDArray top = spanLog.max(new int[] {1}, true).stopGradient();
    NDArray marginal = spanLog.sub(top).exp().sum(new int[] {1}).log().add(top.reshape(g));
    NDArray spanLoss = marginal.neg().mean();
    return selectionLoss.add(spanLoss);
  }
}
