package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Checksums;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.io.Leftovers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * A Hugging Face-style model directory: {@code config.json}, {@code model.safetensors} (Hugging Face BERT names),
 * {@code tokenizer.json}, and Quarry's {@code quarry.json} holding the {@link EncoderRecipe}. Bundled models are
 * imported from their ONNX file once into such a directory under the cache, so every model loads the same way.
 */
public final class ModelDirectory {
  public static final String CONFIG = "config.json";
  public static final String WEIGHTS = "model.safetensors";
  public static final String TOKENIZER = "tokenizer.json";
  public static final String RECIPE = "quarry.json";
  /** An ONNX graph in a model directory (Quarry's exports write it; {@link #resolve} imports it). */
  public static final String ONNX = "model.onnx";
  /** The query tower's folder inside a dual-encoder directory. */
  public static final String QUERY_TOWER = "query_encoder";
  /** The passage tower's folder inside a dual-encoder directory. */
  public static final String PASSAGE_TOWER = "passage_encoder";
  static final String ENCODER_FORMAT = "quarry-encoder/1";
  static final String DUAL_ENCODER_FORMAT = "quarry-dual-encoder/1";

  private ModelDirectory() {
  }

  /** A bundled model's name, or a model directory's path, resolved to a directory (importing bundled models once). */
  public static Path resolve(String model, Path cacheRoot) {
    var bundled = BundledModel.byId(model);
    if (bundled.isPresent()) {
      return materialize(bundled.get(), cacheRoot.resolve("models").resolve(bundled.get().id()));
    }
    Path dir = Path.of(model);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--model " + model + " is neither a bundled model (" + BundledModel.names()
          + ") nor a model directory");
    }
    if (!isDualEncoder(dir) && !Files.exists(dir.resolve(WEIGHTS)) && Files.exists(dir.resolve(ONNX))) {
      return importOnnx(dir, cacheRoot);
    }
    if (!isDualEncoder(dir) && !Files.exists(dir.resolve(WEIGHTS)) && Files.exists(dir.resolve("pytorch_model.bin"))) {
      throw new IllegalArgumentException("model directory " + dir + " holds pytorch_model.bin, a pickle Quarry does "
          + "not read; convert it to model.safetensors first, for example in Python: AutoModel.from_pretrained(DIR)"
          + ".save_pretrained(DIR, safe_serialization=True)");
    }
    if (!isDualEncoder(dir) && RobertaImport.isRoberta(dir)) {
      return RobertaImport.importInto(dir, cacheRoot);
    }
    for (Path tower : isDualEncoder(dir) ? List.of(dir.resolve(QUERY_TOWER), dir.resolve(PASSAGE_TOWER)) : List.of(dir)) {
      for (String f : List.of(CONFIG, WEIGHTS, TOKENIZER)) {
        if (!Files.exists(tower.resolve(f))) {
          throw new IllegalArgumentException("model directory " + tower + " has no " + f);
        }
      }
    }
    return dir;
  }

  /**
   * Whether {@code dir} is a dual encoder with separate towers: {@code quarry.json} of format
   * {@code quarry-dual-encoder/1} (holding the shared recipe) and one complete model directory per tower in
   * {@value #QUERY_TOWER} and {@value #PASSAGE_TOWER}.
   */
  public static boolean isDualEncoder(Path dir) {
    Path file = dir.resolve(RECIPE);
    return Files.exists(file) && DUAL_ENCODER_FORMAT.equals(readJson(file).path("format").asText());
  }

  /** The model directory of one side's tower: {@code dir} itself unless it is a dual encoder. */
  public static Path tower(Path dir, TextEncoder.Side side) {
    if (!isDualEncoder(dir)) {
      return dir;
    }
    return dir.resolve(side == TextEncoder.Side.QUERY ? QUERY_TOWER : PASSAGE_TOWER);
  }

  /**
   * Imports a directory that holds an fp32 BERT {@value #ONNX} (a Quarry export or PyTorch's exporter's) with its
   * {@code config.json}, {@code tokenizer.json} and a recipe ({@link #recipe}) into the cache, once per file content,
   * as a model directory with safetensors weights.
   */
  static Path importOnnx(Path dir, Path cacheRoot) {
    for (String f : List.of(CONFIG, TOKENIZER)) {
      if (!Files.exists(dir.resolve(f))) {
        throw new IllegalArgumentException("ONNX model directory " + dir + " has no " + f);
      }
    }
    EncoderRecipe recipe = recipe(dir);
    BertConfig config = config(dir);
    Path target;
    try {
      target = cacheRoot.resolve("models").resolve("onnx-" + Checksums.sha256(dir.resolve(ONNX)).substring(0, 16));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cannot read " + dir.resolve(ONNX) + ": " + e.getMessage(), e);
    }
    if (Files.exists(target.resolve(RECIPE))) {
      return target;
    }
    Path temp = Leftovers.claim(target, "importing");
    String source = dir.resolve(ONNX).toString();
    try (InputStream in = Files.newInputStream(dir.resolve(ONNX))) {
      OnnxGraph graph = OnnxGraph.read(in, source);
      if (graph.nodes().stream().anyMatch(n -> n.opType().equals("MatMulInteger"))) {
        throw new IllegalArgumentException(source + ": an int8 graph cannot be imported (its weights are "
            + "quantized); import the fp32 export");
      }
      Map<String, NamedTensor> weights = OnnxBertImporter.weights(graph, source);
      List<NamedTensor> ordered = new java.util.ArrayList<>();
      for (String name : BertModel.parameterNames(config)) {
        NamedTensor t = weights.containsKey(name) ? weights.get(name) : weights.get("bert." + name);
        if (t == null) {
          throw new IllegalArgumentException(source + ": no weight " + name + " in the graph; is it a BERT encoder?");
        }
        ordered.add(t.name().equals(name) ? t : new NamedTensor(name, t.shape(), t.values()));
      }
      try (InputStream tokenizer = Files.newInputStream(dir.resolve(TOKENIZER))) {
        return install(temp, target, ordered, tokenizer, config, recipe);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import " + source + " into " + target, e);
    }
  }

  /** Imports a bundled model into {@code dir} unless it is there already; built beside it and renamed into place. */
  static Path materialize(BundledModel model, Path dir) {
    if (Files.exists(dir.resolve(RECIPE))) {
      return dir;
    }
    Path temp = Leftovers.claim(dir, "importing");
    try (InputStream onnx = resource(model.onnxResource()); InputStream tokenizer = resource(model.tokenizerResource())) {
      Files.createDirectories(temp);
      OnnxGraph graph = OnnxGraph.read(onnx, model.onnxResource());
      Map<String, NamedTensor> weights = OnnxBertImporter.weights(graph, model.onnxResource());
      BertConfig config = OnnxBertImporter.config(weights, model.numHeads(), model.onnxResource());
      List<NamedTensor> ordered = BertModel.parameterNames(config).stream().map(weights::get).toList();
      return install(temp, dir, ordered, tokenizer, config, model.recipe());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot import bundled model " + model.id() + " into " + dir, e);
    }
  }

  /**
   * Writes an imported model directory (weights in Hugging Face's order, tokenizer, config, recipe) into the scratch
   * folder {@code temp} and renames it to {@code target}; if another process imported it first, its copy is kept.
   */
  static Path install(Path temp, Path target, List<NamedTensor> weights, InputStream tokenizer,
      BertConfig config, EncoderRecipe recipe) throws IOException {
    Files.createDirectories(temp);
    Safetensors.write(temp.resolve(WEIGHTS), weights, Map.of("format", "pt"));
    Files.copy(tokenizer, temp.resolve(TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
    save(temp, config, recipe);
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
      Folders.deleteTree(temp);   // another process imported it first
    }
    return target;
  }

  /** Writes {@code config.json} and {@code quarry.json} (weights and tokenizer are written by the caller). */
  public static void save(Path dir, BertConfig config, EncoderRecipe recipe) {
    AtomicOutput.writeString(dir.resolve(CONFIG), config.toJson().toPrettyString() + "\n");
    ObjectNode q = JsonLines.MAPPER.createObjectNode();
    q.put("format", ENCODER_FORMAT);
    q.set("recipe", recipe.toJson());
    AtomicOutput.writeString(dir.resolve(RECIPE), q.toPrettyString() + "\n");
  }

  /** The BERT configuration (of the passage tower, for a dual encoder). */
  public static BertConfig config(Path dir) {
    Path file = tower(dir, TextEncoder.Side.PASSAGE).resolve(CONFIG);
    return BertConfig.fromJson(readJson(file), file.toString());
  }

  /**
   * The recipe in {@code quarry.json}, or else the one the sentence-transformers files state
   * ({@link SentenceTransformersRecipe}); a directory with neither is an error that says so, never a silent default.
   */
  public static EncoderRecipe recipe(Path dir) {
    Path file = dir.resolve(RECIPE);
    if (Files.exists(file)) {
      JsonNode q = readJson(file);
      if (q.has("recipe")) {
        return EncoderRecipe.fromJson(q.path("recipe"), file.toString());
      }
    }
    return SentenceTransformersRecipe.read(dir).orElseThrow(() -> new IllegalArgumentException(dir + " states no "
        + "recipe (how to pool and normalize): add a quarry.json with a \"recipe\" or the sentence-transformers files "
        + "(" + SentenceTransformersRecipe.POOLING + ", modules.json), as `quarry export` writes them"));
  }

  private static JsonNode readJson(Path file) {
    try {
      return JsonLines.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name) throws IOException {
    InputStream in = ModelDirectory.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("resource " + name + " is not on the class path (is its LangChain4j jar missing?)");
    }
    return in;
  }

}
