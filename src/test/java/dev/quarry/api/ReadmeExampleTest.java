package dev.quarry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.data.BeirFormat;
import dev.quarry.data.Datasets;
import dev.quarry.data.Passage;
import dev.quarry.data.Query;
import dev.quarry.io.Fixtures;
import dev.quarry.model.EncoderRecipe;
import dev.quarry.model.Pooling;
import dev.quarry.model.TinyModels;
import dev.quarry.util.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, as it stands in the README: compiled against Quarry and run on a small index. */
class ReadmeExampleTest {
  @TempDir
  Path tmp;

  @Test
  void theReadmeExampleCompilesAndSearches() throws Exception {
    Matcher m = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
    assertThat(m.find()).as("a ```java block in README.md").isTrue();
    String source = m.group(1);
    assertThat(source.lines().filter(l -> !l.isBlank() && !l.startsWith("import"))).as("a ten-line example")
        .hasSizeLessThanOrEqualTo(10);
    Path src = Fixtures.write(tmp.resolve("src/Example.java"), source);

    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
    int code = javac.run(null, null, diagnostics, "-cp", System.getProperty("java.class.path"), "-d",
        tmp.resolve("classes").toString(), src.toString());
    assertThat(code).as(diagnostics.toString(StandardCharsets.UTF_8)).isZero();

    Path data = tmp.resolve("data");
    BeirFormat.writeCorpus(data.resolve("corpus.jsonl"), List.of(new Passage("d1", "Otters", "Otters live in rivers."),
        new Passage("d2", "Eagles", "Eagles nest on cliffs."), new Passage("d3", "Salmon", "Salmon swim upstream.")));
    BeirFormat.writeQueries(data.resolve("queries.jsonl"), List.of(new Query("q", "otters")));
    Fixtures.write(data.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq\td1\t1\n");
    Path model = TinyModels.create(tmp.resolve("model"), new EncoderRecipe(Pooling.MEAN, true, "", "", 32, 32), 1);
    Path index = tmp.resolve("index");
    SearchIndexBuilder.build(Datasets.open(data), IndexSpec.of(model.toString()), index, tmp.resolve("cache"),
        Progress.NONE);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {tmp.resolve("classes").toUri().toURL()},
        getClass().getClassLoader())) {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      loader.loadClass("Example").getMethod("main", String[].class)
          .invoke(null, (Object) new String[] {index.toString(), "where do otters live"});
    } finally {
      System.setOut(stdout);
    }
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines).anyMatch(l -> l.matches("\\d d1 -?\\d+\\.\\d{3} Otters"));
  }
}
