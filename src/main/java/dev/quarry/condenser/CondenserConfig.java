package dev.quarry.condenser;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quarry.config.ConfigDefault;

/**
 * The {@code condenser} section of a pre-training config (Gao and Callan: Condenser, EMNLP 2021; coCondenser,
 * ACL 2022).
 *
 * @param earlyLayers backbone layers whose token states feed the head (the rest are the late layers); at least 1 and
 *     fewer than the backbone's layers
 * @param headLayers transformer layers of the head, discarded after pre-training
 * @param spanTokens the longest span sampled from a document, in word pieces, without [CLS] and [SEP]
 * @param minTokens documents with fewer word pieces are not sampled
 * @param maskProbability the fraction of each span's word pieces predicted by the MLM losses (BERT's 80/10/10 rule)
 * @param mlmWeight the weight of the two MLM losses (backbone and head)
 * @param contrastiveWeight the weight of the span contrastive loss; 0 pre-trains a plain Condenser
 * @param headWarmupSteps the first steps, in which only the head and the MLM prediction layer are updated and the
 *     backbone is held; 0 (the paper's schedule) updates everything from the start. Meant for a backbone with no MLM
 *     layer of its own (a sentence encoder), whose fresh head and prediction layer would otherwise send noise into it
 * @param headLearningRate the peak learning rate of the head and the MLM prediction layer (the schedule's shape is the
 *     backbone's); 0 uses {@code training.learning_rate}. Fresh layers want a larger rate than a pre-trained backbone
 * @param documents what one document is, whose two spans are positives for each other ({@link SpanDocuments})
 */
public record CondenserConfig(int earlyLayers, @ConfigDefault("2") int headLayers, int spanTokens,
    @ConfigDefault("16") int minTokens, @ConfigDefault("0.15") double maskProbability,
    @ConfigDefault("1.0") double mlmWeight, @ConfigDefault("1.0") double contrastiveWeight,
    // left out of toJson when 0, so that configs written before these keys hash (and resume) as they did
    @ConfigDefault("0") @JsonInclude(JsonInclude.Include.NON_DEFAULT) int headWarmupSteps,
    @ConfigDefault("0") @JsonInclude(JsonInclude.Include.NON_DEFAULT) double headLearningRate,
    // left out of toJson when auto, for the same reason
    @ConfigDefault("auto") @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = SpanDocuments.AutoFilter.class)
    SpanDocuments documents) {

  public CondenserConfig {
    if (earlyLayers < 1) {
      throw new IllegalArgumentException("condenser.early_layers must be at least 1; condenser.early_layers="
          + earlyLayers);
    }
    if (headLayers < 1) {
      throw new IllegalArgumentException("condenser.head_layers must be at least 1; condenser.head_layers="
          + headLayers);
    }
    if (spanTokens < 2) {
      throw new IllegalArgumentException("condenser.span_tokens must be at least 2; condenser.span_tokens="
          + spanTokens);
    }
    if (minTokens < 1 || minTokens > spanTokens) {
      throw new IllegalArgumentException("condenser.min_tokens must be in [1, span_tokens]; condenser.min_tokens="
          + minTokens);
    }
    if (!(maskProbability > 0 && maskProbability < 1)) {
      throw new IllegalArgumentException("condenser.mask_probability must be in (0, 1); condenser.mask_probability="
          + maskProbability);
    }
    if (!(mlmWeight >= 0) || !(contrastiveWeight >= 0) || mlmWeight + contrastiveWeight == 0) {
      throw new IllegalArgumentException("condenser.mlm_weight and condenser.contrastive_weight must not be negative "
          + "and not both 0; mlm_weight=" + mlmWeight + ", contrastive_weight=" + contrastiveWeight);
    }
    if (documents == null) {
      throw new IllegalArgumentException("condenser.documents must be passage, title or auto");
    }
    if (headWarmupSteps < 0) {
      throw new IllegalArgumentException("condenser.head_warmup_steps must not be negative; "
          + "condenser.head_warmup_steps=" + headWarmupSteps);
    }
    if (!(headLearningRate >= 0) || Double.isInfinite(headLearningRate)) {
      throw new IllegalArgumentException("condenser.head_learning_rate must be finite and not negative (0: the "
          + "training rate); condenser.head_learning_rate=" + headLearningRate);
    }
  }

  /** The paper's schedule: no head warm-up, one learning rate. */
  public CondenserConfig(int earlyLayers, int headLayers, int spanTokens, int minTokens, double maskProbability,
      double mlmWeight, double contrastiveWeight) {
    this(earlyLayers, headLayers, spanTokens, minTokens, maskProbability, mlmWeight, contrastiveWeight, 0, 0,
        SpanDocuments.AUTO);
  }

  /** The head's learning rate as a factor of the training rate {@code learningRate}. */
  public double headLearningRateScale(double learningRate) {
    return headLearningRate == 0 ? 1 : headLearningRate / learningRate;
  }

  /** Whether the backbone is held at this (0-based) step. */
  public boolean holdsBackbone(long step) {
    return step < headWarmupSteps;
  }
}
