package dev.quarry.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.Folders;
import dev.quarry.io.JsonLines;
import dev.quarry.model.NamedTensor;
import dev.quarry.model.Safetensors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A training checkpoint: the folder {@code OUT/checkpoints/step-N} holding
 * <ul>
 *   <li>{@value #MODEL_FILE}: the weights, float32 safetensors under their parameter names (two towers are told apart
 *       by their names' prefixes, as the trainer's parameter map names them);</li>
 *   <li>{@value #OPTIMIZER_FILE}: {@link AdamWState#toTensors()}, that is {@code m/<parameter>},
 *       {@code v/<parameter>} and {@code step};</li>
 *   <li>{@value #STATE_FILE}: the {@link TrainerState} as JSON ({@code format}, {@code step}, {@code epoch},
 *       {@code position_in_epoch}, {@code data_order_seed}, {@code rng: {scheme, seed}}, {@code config_sha256});</li>
 *   <li>{@value #COMPLETE_MARKER}: written last; a folder without it is not a checkpoint.</li>
 * </ul>
 *
 * <p>{@link #save} writes into {@code step-N.tmp-<pid>} and renames it to {@code step-N} only when complete, so a
 * crash leaves at worst a {@code .tmp-} folder, which {@link #latest} ignores and a later save by another process
 * removes. After each save only the newest {@code keepLast} checkpoints remain.
 *
 * @param directory the checkpoint's folder
 * @param state where the run stood
 * @param model the weights by parameter name
 * @param optimizer the optimizer's state
 */
public record Checkpoint(Path directory, TrainerState state, Map<String, NamedTensor> model, AdamWState optimizer) {
  /** The weights file. */
  public static final String MODEL_FILE = "model.safetensors";
  /** The optimizer state file. */
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  /** The trainer state file. */
  public static final String STATE_FILE = "trainer_state.json";
  /** The file written last, whose presence makes a folder a complete checkpoint. */
  public static final String COMPLETE_MARKER = "COMPLETE";
  /** The folder of checkpoints inside a run's output folder. */
  public static final String FOLDER = "checkpoints";

  private static final Pattern COMPLETE_NAME = Pattern.compile("step-(\\d+)");
  private static final Pattern TEMP_NAME = Pattern.compile("step-\\d+\\.tmp-(\\d+)(\\..*)?");

  /** The checkpoints folder of a run's output folder: {@code out/checkpoints}. */
  public static Path folder(Path out) {
    return out.resolve(FOLDER);
  }

  /**
   * Saves a checkpoint as {@code checkpoints/step-<state.step>}, replacing one of the same step, then deletes all
   * but the newest {@code keepLast} complete checkpoints and the {@code .tmp-} folders of processes no longer running.
   *
   * @param checkpoints the checkpoints folder ({@link #folder(Path)})
   * @param keepLast how many checkpoints to keep; positive
   * @return the checkpoint's folder
   */
  public static Path save(Path checkpoints, TrainerState state, List<NamedTensor> model, AdamWState optimizer,
      int keepLast) {
    if (keepLast <= 0) {
      throw new IllegalArgumentException("keepLast must be positive; keepLast=" + keepLast);
    }
    long pid = ProcessHandle.current().pid();
    String name = "step-" + state.step();
    Path target = checkpoints.resolve(name);
    Path temp = checkpoints.resolve(name + ".tmp-" + pid);
    try {
      Files.createDirectories(checkpoints);
      Folders.deleteTree(temp);
      Files.createDirectory(temp);
      Safetensors.write(temp.resolve(MODEL_FILE), model, Map.of("format", "pt"));
      Safetensors.write(temp.resolve(OPTIMIZER_FILE), optimizer.toTensors(),
          Map.of("step", Long.toString(optimizer.step())));
      AtomicOutput.writeString(temp.resolve(STATE_FILE),
          JsonLines.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(state.toJson()) + "\n");
      AtomicOutput.writeString(temp.resolve(COMPLETE_MARKER), name + "\n");
      sync(temp);
      if (Files.exists(target)) {
        Path old = checkpoints.resolve(name + ".tmp-" + pid + ".replaced");
        Folders.deleteTree(old);
        move(target, old);
        move(temp, target);
        Folders.deleteTree(old);
      } else {
        move(temp, target);
      }
      sync(checkpoints);
      prune(checkpoints, keepLast, pid);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint " + target, e);
    }
  }

  /** The newest complete checkpoint in {@code checkpoints}, if any. */
  public static Optional<Path> latest(Path checkpoints) {
    List<Path> all = complete(checkpoints);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Every complete checkpoint in {@code checkpoints} ({@code step-N} with its marker), oldest step first. */
  public static List<Path> complete(Path checkpoints) {
    if (!Files.isDirectory(checkpoints)) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    try (Stream<Path> children = Files.list(checkpoints)) {
      children.filter(p -> COMPLETE_NAME.matcher(p.getFileName().toString()).matches())
          .filter(p -> Files.isRegularFile(p.resolve(COMPLETE_MARKER)))
          .forEach(out::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + checkpoints, e);
    }
    out.sort(Comparator.comparingLong(Checkpoint::stepOf));
    return out;
  }

  /** Reads a complete checkpoint folder. */
  public static Checkpoint load(Path directory) {
    if (!Files.isRegularFile(directory.resolve(COMPLETE_MARKER))) {
      throw new IllegalArgumentException(directory + ": not a complete checkpoint (no " + COMPLETE_MARKER + " file)");
    }
    Path stateFile = directory.resolve(STATE_FILE);
    JsonNode json;
    try {
      json = JsonLines.MAPPER.readTree(Files.readString(stateFile, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(stateFile + ": malformed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + stateFile, e);
    }
    TrainerState state = TrainerState.fromJson(json, stateFile.toString());
    Path optimizerFile = directory.resolve(OPTIMIZER_FILE);
    AdamWState optimizer = AdamWState.fromTensors(Safetensors.read(optimizerFile), optimizerFile.toString());
    return new Checkpoint(directory, state, Safetensors.read(directory.resolve(MODEL_FILE)), optimizer);
  }

  private static void prune(Path checkpoints, int keepLast, long pid) throws IOException {
    List<Path> all = complete(checkpoints);
    for (int i = 0; i < all.size() - keepLast; i++) {
      Folders.deleteTree(all.get(i));
    }
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> children = Files.list(checkpoints)) {
      children.forEach(p -> {
        Matcher m = TEMP_NAME.matcher(p.getFileName().toString());
        if (m.matches()) {
          long owner = Long.parseLong(m.group(1));
          if (owner != pid && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
            return;   // another live process is writing it
          }
          if (owner != pid || m.group(2) != null) {
            stale.add(p);
          }
        }
      });
    }
    for (Path p : stale) {
      Folders.deleteTree(p);
    }
  }

  private static long stepOf(Path checkpoint) {
    Matcher m = COMPLETE_NAME.matcher(checkpoint.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint folder name: " + checkpoint);
    }
    return Long.parseLong(m.group(1));
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  /** Flushes a folder's entries to disk where the platform allows it (Linux does; elsewhere this does nothing). */
  private static void sync(Path folder) {
    try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // not every platform can open or sync a folder; the rename is still atomic
    }
  }

}
