package dev.quarry.train;

import dev.quarry.config.ConfigDefault;
import dev.quarry.loss.DistillationLoss;

/**
 * The {@code distillation} section of a dual-encoder or cross-encoder config: listwise distillation from teacher
 * scores stored in the training groups ({@code teacher_score} of each passage, see
 * {@link dev.quarry.mine.TrainGroupFormat}).
 *
 * <pre>
 * distillation: {weight: 1.0, teacher_temperature: 1.0, contrastive: true}
 * </pre>
 *
 * @param weight the distillation loss's weight; 0 turns distillation off
 * @param teacherTemperature the teacher's scores are divided by it before their softmax
 * @param contrastive whether the model's own loss (InfoNCE, or a cross-encoder's listwise or pointwise loss) is kept
 *     next to it (false: distillation alone)
 */
public record DistillationConfig(double weight, @ConfigDefault("1.0") double teacherTemperature,
    @ConfigDefault("true") boolean contrastive) {
  /** No distillation: the InfoNCE loss alone. */
  public static final DistillationConfig OFF = new DistillationConfig(0, 1, true);

  public DistillationConfig {
    if (!(weight >= 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException("distillation.weight must be 0 or more; found " + weight);
    }
    if (!(teacherTemperature > 0) || Double.isInfinite(teacherTemperature)) {
      throw new IllegalArgumentException("distillation.teacher_temperature must be positive; found "
          + teacherTemperature);
    }
    if (weight == 0 && !contrastive) {
      throw new IllegalArgumentException("distillation: with contrastive false the weight must be "
          + "positive, or nothing is trained");
    }
  }

  public boolean enabled() {
    return weight > 0;
  }

  /** The loss, with the student's scores at the contrastive loss's temperature. */
  public DistillationLoss loss(double studentTemperature) {
    return new DistillationLoss((float) studentTemperature, teacherTemperature);
  }
}
