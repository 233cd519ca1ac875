package dev.quarry.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.DataFormatException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The binder on its own records: what a record component means as a key, and every error it gives. */
class ConfigBinderTest {
  private static final Path FILE = Path.of("c.yaml");

  enum Mode { FAST, CAREFUL }

  record Inner(@ConfigDefault("3") int size, @ConfigDefault("careful") Mode mode) {
  }

  record Required(String name) {
  }

  record Root(Required required, Inner inner, Optional<Inner> extra, OptionalInt limit, List<String> tags,
      @ConfigDefault("0.5") double ratio, @ConfigDefault("[a, b]") List<String> defaults, Optional<ObjectNode> free,
      Optional<Path> file) {
    Root {
      if (ratio > 1) {
        throw new IllegalArgumentException("ratio must be at most 1; ratio=" + ratio);
      }
    }
  }

  record BadDefault(@ConfigDefault("many") int count) {
  }

  private static Root parse(String yaml) {
    return ConfigBinder.parse(yaml, FILE, Root.class, Overrides.NONE);
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml)).isInstanceOf(DataFormatException.class).hasMessage("c.yaml: " + message);
  }

  @Test
  void componentsAreKeysWithDefaultsOptionalsAndDefaultedSections() {
    Root r = parse("required: {name: x}\ntags: [t]\n");
    assertThat(r.inner()).as("a section whose every key has a default may be left out")
        .isEqualTo(new Inner(3, Mode.CAREFUL));
    assertThat(r.extra()).isEmpty();
    assertThat(r.limit()).isEmpty();
    assertThat(r.ratio()).isEqualTo(0.5);
    assertThat(r.defaults()).containsExactly("a", "b");
    assertThat(r.free()).isEmpty();
    Root full = parse("""
        required: {name: x}
        inner: {size: 7, mode: FAST}
        extra: {}
        limit: 9
        tags: []
        ratio: 1
        free: {anything: [1, 2]}
        file: dir/f.txt
        """);
    assertThat(full.inner()).as("enum constants match case-insensitively").isEqualTo(new Inner(7, Mode.FAST));
    assertThat(full.extra()).hasValue(new Inner(3, Mode.CAREFUL));
    assertThat(full.limit()).hasValue(9);
    assertThat(full.ratio()).as("an integer is a number").isEqualTo(1.0);
    assertThat(full.free().orElseThrow().path("anything").size()).isEqualTo(2);
    assertThat(full.file()).hasValue(Path.of("dir/f.txt"));
  }

  @Test
  void toJsonWritesEveryValueAndReadsBackEqual() {
    Root r = parse("required: {name: x}\ntags: [t]\nfile: f.txt\n");
    ObjectNode json = ConfigBinder.toJson(r);
    assertThat(json.toString()).isEqualTo("{\"required\":{\"name\":\"x\"},\"inner\":{\"size\":3,\"mode\":\"careful\"},"
        + "\"tags\":[\"t\"],\"ratio\":0.5,\"defaults\":[\"a\",\"b\"],\"file\":\"f.txt\"}");
    assertThat(ConfigBinder.bind(json, FILE, Root.class)).isEqualTo(r);
  }

  @Test
  void everyProblemNamesTheFileAndTheKeyPath() {
    String ok = "required: {name: x}\ntags: [t]\n";
    assertError(ok + "inner: {sise: 2}\n", "unknown key inner.sise (known: size, mode)");
    assertError("tags: [t]\n", "missing section required");
    assertError("required: {}\ntags: [t]\n", "missing key required.name");
    assertError("required: {name: x}\n", "missing key tags");
    assertError(ok + "inner: {size: \"2\"}\n", "inner.size must be an integer, found string \"2\"");
    assertError(ok + "inner: {size: 2.5}\n", "inner.size must be an integer, found number 2.5");
    assertError(ok + "inner: {size: 3000000000}\n",
        "inner.size must be an integer between -2147483648 and 2147483647, found number 3000000000");
    assertError(ok + "inner: {size: null}\n", "inner.size must be an integer, found nothing (null)");
    assertError(ok + "inner: {mode: slow}\n", "inner.mode must be one of [fast, careful]; inner.mode=slow");
    assertError(ok + "inner: {mode: 1}\n", "inner.mode must be one of [fast, careful], found number 1");
    assertError(ok + "inner: 4\n", "inner must be a mapping, found number 4");
    assertError(ok + "free: [1]\n", "free must be a mapping, found a list");
    assertError("required: {name: x}\ntags: [t, 4]\n", "tags[1] must be a string, found number 4");
    assertError("required: {name: x}\ntags: t\n", "tags must be a list, found string \"t\"");
    assertError(ok + "ratio: \"0.5\"\n", "ratio must be a number, found string \"0.5\"");
    assertError(ok + "ratio: 2\n", "ratio must be at most 1; ratio=2.0");
    assertError("- a\n", "expected a mapping of sections (known: required, inner, extra, limit, tags, ratio, "
        + "defaults, free, file), found a list");
    assertError("", "empty config; expected a mapping of sections (known: required, inner, extra, limit, tags, "
        + "ratio, defaults, free, file)");
    assertThatThrownBy(() -> parse(ok + "tags: [u]\n")).isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("c.yaml:3: malformed YAML").hasMessageContaining("Duplicate field 'tags'");
  }

  @Test
  void overridesAreHeldToTheSameRules() {
    Overrides set = Overrides.parse(List.of("inner.size=5", "ratio=0.25"));
    Root r = ConfigBinder.parse("required: {name: x}\ntags: [t]\n", FILE, Root.class, set);
    assertThat(r.inner().size()).isEqualTo(5);
    assertThat(r.ratio()).isEqualTo(0.25);
    assertThatThrownBy(() -> ConfigBinder.parse("required: {name: x}\ntags: [t]\n", FILE, Root.class,
        Overrides.parse(List.of("inner.size=big")))).hasMessage("c.yaml: inner.size must be an integer, found "
        + "string \"big\"");
  }

  @Test
  void aDefaultIsCheckedAsIfTheFileHadWrittenIt() {
    assertThatThrownBy(() -> ConfigBinder.parse("{}", FILE, BadDefault.class, Overrides.NONE))
        .hasMessage("c.yaml: count must be an integer, found string \"many\"");
  }
}
