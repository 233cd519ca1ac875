package dev.quarry.cli;

import dev.quarry.config.Overrides;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --set KEY=VALUE}, repeatable: overrides of the config file's keys (a picocli mixin). */
final class OverridesOption {
  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Override a key of the config file, by its dotted path, with a YAML value "
          + "(--set training.epochs=3 --set training.learning_rate=3e-5); repeatable, applied in order, checked as "
          + "if written in the file.")
  List<String> specs = new ArrayList<>();

  Overrides overrides() {
    return Overrides.parse(specs);
  }
}
