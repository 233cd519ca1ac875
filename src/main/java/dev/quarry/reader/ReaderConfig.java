package dev.quarry.reader;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.config.ConfigBinder;
import dev.quarry.config.ConfigDefault;
import dev.quarry.config.Overrides;
import dev.quarry.config.RunConfig;
import dev.quarry.train.DevSplitConfig;
import dev.quarry.train.LoopSection;
import java.nio.file.Path;

/**
 * A reader training config (DPR's extractive reader), read from YAML with the same strictness as every other
 * training config ({@link ConfigBinder}):
 *
 * <pre>
 * model:
 *   name: all-minilm-l6-v2         # required: the encoder the reader starts from (bundled name or directory)
 *   max_length: 256                # tokens of [CLS] question [SEP] title [SEP] passage [SEP]; the passage is cut
 * data:
 *   dev: {queries: 100, seed: 13}  # questions held out from the training questions to pick the epoch
 *   candidates: 30                 # the top of the retriever's run searched for the positive and the negatives
 *   negatives: 3                   # m: retrieved passages without an answer read beside the positive
 *   max_questions: 0               # train on a seeded sample of this many questions; 0: all of them
 * training:
 *   epochs, batch_size (questions per step), learning_rate, warmup_ratio, weight_decay, max_grad_norm, seed,
 *   checkpoint_every, dev_evaluation: as in DPR training
 * inference:
 *   passages: 20                   # top k passages of a run read per question (the dev evaluation's k)
 *   max_answer_tokens: 10          # longest answer span, in tokens
 * </pre>
 */
public record ReaderConfig(Model model, Data data, LoopSection training, Inference inference) implements RunConfig {

  /**
   * The {@code model} section.
   *
   * @param name the encoder the reader's backbone starts from
   * @param maxLength tokens of one question-passage sequence, at least 16
   */
  public record Model(String name, @ConfigDefault("256") int maxLength) {
    public Model {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("model.name must name a model");
      }
      if (maxLength < 16) {
        throw new IllegalArgumentException("model.max_length must be at least 16; model.max_length=" + maxLength);
      }
    }
  }

  /**
   * The {@code data} section.
   *
   * @param dev the dev questions held out from the training questions
   * @param candidates the run's top passages per question searched for the positive and the negatives, at least 2
   * @param negatives the passages without an answer read beside the positive of each question, at least 1
   * @param maxQuestions a seeded sample of the training questions, 0 for all
   */
  public record Data(DevSplitConfig dev, @ConfigDefault("30") int candidates,
      @ConfigDefault("3") int negatives, @ConfigDefault("0") int maxQuestions) {
    public Data {
      if (candidates < 2) {
        throw new IllegalArgumentException("data.candidates must be at least 2; data.candidates=" + candidates);
      }
      if (negatives < 1 || negatives >= candidates) {
        throw new IllegalArgumentException("data.negatives must be at least 1 and below data.candidates ("
            + candidates + "); data.negatives=" + negatives);
      }
      if (maxQuestions < 0) {
        throw new IllegalArgumentException("data.max_questions must not be negative (0: all); data.max_questions="
            + maxQuestions);
      }
    }
  }

  /**
   * The {@code inference} section, also the defaults of {@code quarry qa}.
   *
   * @param passages the top passages of a run read per question, at least 1
   * @param maxAnswerTokens the longest answer span in tokens, at least 1
   */
  public record Inference(@ConfigDefault("20") int passages, @ConfigDefault("10") int maxAnswerTokens) {
    public Inference {
      if (passages < 1) {
        throw new IllegalArgumentException("inference.passages must be positive; inference.passages=" + passages);
      }
      if (maxAnswerTokens < 1) {
        throw new IllegalArgumentException("inference.max_answer_tokens must be positive; "
            + "inference.max_answer_tokens=" + maxAnswerTokens);
      }
    }

    /** What the reader decodes with. */
    public AnswerDecoding decoding() {
      return new AnswerDecoding(passages, maxAnswerTokens);
    }
  }

  public static ReaderConfig load(Path file, Overrides overrides) {
    return ConfigBinder.read(file, ReaderConfig.class, overrides);
  }

  public static ReaderConfig parse(String yaml, Path file) {
    return ConfigBinder.parse(yaml, file, ReaderConfig.class, Overrides.NONE);
  }

  /** Every value, defaults filled in; {@link #sha256} hashes it so checkpoints know their config. */
  @Override
  public ObjectNode toJson() {
    return ConfigBinder.toJson(this);
  }
}
