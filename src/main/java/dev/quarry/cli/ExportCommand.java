package dev.quarry.cli;

import dev.quarry.io.OutputPaths;
import dev.quarry.model.ModelDirectory;
import dev.quarry.model.ModelExport;
import dev.quarry.model.OnnxBertGraph;
import dev.quarry.rerank.CrossEncoder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Export a model (bundled encoder, trained dual encoder or cross-encoder) as a standard ONNX file "
        + "(opset 17; inputs input_ids, attention_mask, token_type_ids; output last_hidden_state, or logits for a "
        + "cross-encoder) with its tokenizer, config and pooling recipe beside it, for ONNX Runtime and the engines "
        + "that load ONNX. A dual encoder with separate towers gets one folder per tower."})
final class ExportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--model", required = true,
      description = "A bundled model, a model directory, a dual-encoder directory or a cross-encoder directory.")
  String model;

  @Option(names = "--format", defaultValue = "onnx", description = "Export format: onnx (the only one).")
  String format;

  @Option(names = "--precision", defaultValue = "fp32",
      description = "Weights of the encoder's Linear layers, ${COMPLETION-CANDIDATES}: int8 is dynamic quantization "
          + "(int8 weights per output column, activations quantized at run time). Default ${DEFAULT-VALUE}.")
  OnnxBertGraph.Precision precision;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write (replaced).")
  Path output;

  @Mixin
  CacheOption cache = new CacheOption();

  @Override
  public Integer call() {
    OutputPaths.folder(output, "--output");
    if (!format.equalsIgnoreCase("onnx")) {
      throw new IllegalArgumentException("--format must be onnx, found " + format);
    }
    OnnxBertGraph.Precision p = precision;
    Path dir = Files.isDirectory(Path.of(model)) && CrossEncoder.isCrossEncoder(Path.of(model)) ? Path.of(model)
        : null;
    String kind;
    if (dir != null) {
      try (CrossEncoder ce = CrossEncoder.load(dir)) {
        ce.saveOnnx(output, p);
      }
      kind = "cross-encoder";
    } else {
      Path modelDir = ModelDirectory.resolve(model, cache.root());
      ModelExport.writeOnnx(modelDir, p, output);
      kind = ModelDirectory.isDualEncoder(modelDir) ? "dual encoder (one folder per tower)" : "encoder";
    }
    PrintWriter err = spec.commandLine().getErr();
    err.printf(Locale.ROOT, "export: %s %s as ONNX (%s) in %s%n", kind, model, p.name().toLowerCase(Locale.ROOT),
        output);
    return 0;
  }
}
