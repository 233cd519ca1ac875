package dev.quarry.model;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;

/** A model's trainable parameters as the optimizer and the checkpoints see them: by name, live, exportable. */
public interface TrainableWeights {
  /** Every trainable parameter by its checkpoint name (live arrays: training updates them in place). */
  Map<String, NDArray> parameters();

  /** The weights under their checkpoint names, copied out of native memory. */
  List<NamedTensor> exportWeights();

  /** Overwrites every parameter with the tensor of the same name (a checkpoint's weights). */
  void loadWeights(Map<String, NamedTensor> weights);
}
