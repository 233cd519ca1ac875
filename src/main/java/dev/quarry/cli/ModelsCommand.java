package dev.quarry.cli;

import dev.quarry.model.BundledModel;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.ModelDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "models", mixinStandardHelpOptions = true,
    description = {"List the bundled models with their recipes, and the model directories in the cache."})
final class ModelsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  CacheOption cache = new CacheOption();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("bundled models (use the name as --model):");
    for (BundledModel m : BundledModel.values()) {
      out.printf(Locale.ROOT, "  %-20s %s%n", m.id(), describe(m.recipe()));
    }
    Path models = cache.root().resolve("models");
    List<Path> dirs = List.of();
    if (Files.isDirectory(models)) {
      try (Stream<Path> entries = Files.list(models)) {
        dirs = entries.filter(d -> Files.exists(d.resolve(ModelDirectory.RECIPE))).sorted().toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + models, e);
      }
    }
    out.println("model directories in " + models + (dirs.isEmpty() ? ": none" : ":"));
    for (Path d : dirs) {
      out.printf(Locale.ROOT, "  %s  %s%n", d, describe(ModelDirectory.recipe(d)));
    }
    out.flush();
    return 0;
  }

  private static String describe(EncoderRecipe r) {
    return String.format(Locale.ROOT, "%s pooling%s, query prefix \"%s\", passage prefix \"%s\", max length %d / %d",
        r.pooling().name().toLowerCase(Locale.ROOT), r.normalize() ? ", normalized" : "", r.queryPrefix(),
        r.passagePrefix(), r.queryMaxLength(), r.passageMaxLength());
  }
}
