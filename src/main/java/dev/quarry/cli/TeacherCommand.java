package dev.quarry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.data.Dataset;
import dev.quarry.io.OutputPaths;
import dev.quarry.teacher.FittedTeacher;
import dev.quarry.teacher.TeacherConfig;
import dev.quarry.teacher.TeacherFit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "teacher", mixinStandardHelpOptions = true,
    description = {"Fit a fusion teacher (BM25 and dense retrievers, z-scored per query and fused) on the dev "
        + "queries carved from --split: the fusion weights with the best dev nDCG@10 and a calibration of the fused "
        + "score. Writes OUT/teacher.json, which `rerank`, `denoise` and the pipeline read as a judge."})
final class TeacherCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Mixin
  DatasetOptions data;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "YAML file with a `teacher:` section (examples/scifact-teacher.yaml).")
  Path config;

  @Option(names = "--output", required = true, paramLabel = "DIR", description = "Folder to write teacher.json to.")
  Path output;

  @Mixin
  CacheOption cache = new CacheOption();

  @Mixin
  ThreadsOption threads = new ThreadsOption();

  @Mixin
  OverridesOption set = new OverridesOption();

  @Override
  public Integer call() throws Exception {
    OutputPaths.folder(output, "--output");
    TeacherConfig teacher = TeacherConfig.load(config, set.overrides());
    Dataset dataset = data.open();
    long started = System.nanoTime();
    FittedTeacher fitted = TeacherFit.fit(teacher, dataset, data.split,
        cache.root(), new ConsoleProgress(System.err));
    Files.createDirectories(output);
    fitted.save(output);
    var err = spec.commandLine().getErr();
    JsonNode ndcg = fitted.dev().path("ndcg@10");
    err.printf(Locale.ROOT, "teacher: dev nDCG@10 over %d queries (%d pairs)%n", fitted.dev().path("queries").asInt(),
        fitted.dev().path("pairs").asInt());
    ndcg.fieldNames().forEachRemaining(k -> err.printf(Locale.ROOT, "  %-40s %.4f%n", k, ndcg.path(k).asDouble()));
    StringBuilder weights = new StringBuilder();
    for (int i = 0; i < fitted.members().size(); i++) {
      weights.append(i == 0 ? "" : ", ").append(fitted.members().get(i)).append(' ')
          .append(String.format(Locale.ROOT, "%.2f", fitted.weights()[i]));
    }
    err.printf(Locale.ROOT, "teacher: weights %s; calibration scale %.3f bias %.3f; %.0f s; wrote %s%n", weights,
        fitted.calibration().scale(), fitted.calibration().bias(), (System.nanoTime() - started) / 1e9,
        output.resolve(FittedTeacher.FILE));
    return 0;
  }
}
