package dev.quarry.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small seeded random BERT model directories for fast tests (MiniLM's real tokenizer, random weights). */
public final class TinyModels {
  private TinyModels() {
  }

  /** A 2-layer, hidden-32 BERT with the given recipe, written to {@code dir}. */
  public static Path create(Path dir, EncoderRecipe recipe, long seed) {
    BertConfig config = new BertConfig(30522, 32, 2, 4, 64, 128, 2, 1e-12f, 0.1f, 0.1f);
    Random random = new Random(seed);
    List<NamedTensor> weights = new ArrayList<>();
    for (String name : BertModel.parameterNames(config)) {
      long[] shape = config.parameterShape(name);
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] v = new float[n];
      boolean layerNormWeight = name.endsWith("LayerNorm.weight");
      for (int i = 0; i < n; i++) {
        v[i] = layerNormWeight ? 1f + 0.1f * (float) random.nextGaussian() : 0.2f * (float) random.nextGaussian();
      }
      weights.add(new NamedTensor(name, shape, v));
    }
    try {
      Files.createDirectories(dir);
      Files.deleteIfExists(dir.resolve(ModelDirectory.TOKENIZER));
      Safetensors.write(dir.resolve(ModelDirectory.WEIGHTS), weights, Map.of("format", "pt"));
      try (InputStream tokenizer = TinyModels.class.getResourceAsStream(BundledModel.ALL_MINILM_L6_V2.tokenizerResource())) {
        Files.copy(tokenizer, dir.resolve(ModelDirectory.TOKENIZER));
      }
      ModelDirectory.save(dir, config, recipe);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
