package dev.quarry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of README "Layout of the code", read from the sources: which Quarry packages each main package
 * names (imports and qualified names in code, comments stripped), no cycle among them, the shared training core free
 * of recipes, and a {@code package-info.java} in every package.
 */
class PackageLayoutTest {
  private static final Path MAIN = Path.of("src/main/java/dev/quarry");
  private static final Pattern USE = Pattern.compile("\\bdev\\.quarry\\.([a-z0-9]+)\\.");
  private static final Pattern COMMENT = Pattern.compile("(?s)/\\*.*?\\*/|//[^\\n]*");
  private static final Set<String> RECIPES = Set.of("dpr", "ance", "condenser", "rerank", "rocketqa", "teacher",
      "reader");
  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void readSources() throws IOException {
    uses = new TreeMap<>();
    try (Stream<Path> packages = Files.list(MAIN)) {
      for (Path dir : packages.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
            String code = COMMENT.matcher(Files.readString(f, StandardCharsets.UTF_8)).replaceAll("");
            Matcher m = USE.matcher(code);
            while (m.find()) {
              if (!m.group(1).equals(name)) {
                used.add(m.group(1));
              }
            }
          }
        }
        uses.put(name, used);
      }
    }
  }

  @Test
  void theTrainingCoreAndTheFloorsBelowItImportNoRecipe() {
    for (String lower : List.of("train", "random", "config", "io", "util", "data", "model", "loss", "mine", "eval",
        "index", "vectors", "bm25", "dense", "search")) {
      assertThat(uses.get(lower)).as("packages %s uses", lower).doesNotContainAnyElementsOf(RECIPES)
          .doesNotContain("cli");
    }
    assertThat(uses.get("random")).as("random is the bottom floor").isEmpty();
    assertThat(uses.get("ance")).as("ANCE's machinery knows no trainer").doesNotContain("train", "dpr");
  }

  @Test
  void packagesFormNoCycle() {
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      List<String> path = new ArrayList<>();
      path.add(start);
      findCycle(start, start, path, new TreeSet<>(), cycles);
    }
    assertThat(cycles).isEmpty();
  }

  private static void findCycle(String start, String at, List<String> path, Set<String> seen, List<String> cycles) {
    for (String next : uses.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        cycles.add(String.join(" -> ", path) + " -> " + start);
      } else if (uses.containsKey(next) && seen.add(next)) {
        path.add(next);
        findCycle(start, next, path, seen, cycles);
        path.remove(path.size() - 1);
      }
    }
  }

  @Test
  void everyPackageSaysWhatItHoldsAndMayImport() {
    assertThat(uses.keySet().stream().filter(p -> !Files.exists(MAIN.resolve(p).resolve("package-info.java"))))
        .isEmpty();
  }
}
