package dev.quarry.cli;

import dev.quarry.condenser.CondenserTrainer;
import dev.quarry.condenser.PretrainConfig;
import dev.quarry.data.Dataset;
import dev.quarry.data.Datasets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "pretrain", mixinStandardHelpOptions = true,
    description = {"coCondenser pre-training on the dataset's corpus from a YAML config: Condenser's head (MLM "
        + "through the passage vector) plus a span contrastive loss, with optional gradient caching; resumes from "
        + "OUT/checkpoints after a crash. Writes OUT/model (the backbone, a model directory that train and dense "
        + "load), metrics.jsonl and training-curves.png with the MLM and contrastive loss curves. --split is "
        + "ignored: only the corpus is read."})
final class PretrainCommand implements Callable<Integer>, Resumable {
  @Spec
  CommandSpec spec;

  @Mixin
  TrainingOptions run;

  @Override
  public Integer call() throws Exception {
    PretrainConfig c = PretrainConfig.load(run.config, run.overrides());
    Dataset data = Datasets.open(run.dataset, run.format);
    CondenserTrainer.Summary s = new CondenserTrainer(c, run.job(data)).train();
    run.recordConfig(c.toJson());
    spec.commandLine().getErr().printf(Locale.ROOT, "pretrain: %d steps over %d documents (%d too short) in %.1f "
        + "min, model in %s%n", s.steps(), s.documents(), s.skippedDocuments(), s.minutes(), s.model());
    return 0;
  }
}
