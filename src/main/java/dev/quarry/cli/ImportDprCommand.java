package dev.quarry.cli;

import dev.quarry.io.OutputPaths;
import dev.quarry.model.DprImport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "import-dpr", mixinStandardHelpOptions = true,
    description = {"Import a Hugging Face DPR checkpoint (a DPRQuestionEncoder and a DPRContextEncoder directory, "
        + "safetensors) as one Quarry dual encoder with separate towers: CLS pooling, inner product, 256 tokens. The "
        + "output works as --model for dense, encode, index, train and the rest."})
final class ImportDprCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--question-encoder", required = true, paramLabel = "DIR",
      description = "The DPRQuestionEncoder directory (config.json, model.safetensors, tokenizer.json).")
  Path question;

  @Option(names = "--context-encoder", required = true, paramLabel = "DIR",
      description = "The DPRContextEncoder directory.")
  Path context;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "The dual encoder to write.")
  Path output;

  @Override
  public Integer call() {
    OutputPaths.folder(output, "--output");
    DprImport.importDualEncoder(question, context, output);
    spec.commandLine().getErr().println("import-dpr: wrote the dual encoder " + output);
    return 0;
  }
}
