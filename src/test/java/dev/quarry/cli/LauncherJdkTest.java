package dev.quarry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/lib/jdk.sh, which bin/quarry and bin/test use to find a JDK >= 21, run against fake JDK folders. */
class LauncherJdkTest {
  @TempDir
  Path jvms;

  private void fakeJdk(String name, String specVersion) throws IOException {
    Path bin = Files.createDirectories(jvms.resolve(name).resolve("bin"));
    String script = "#!/bin/sh\necho '    java.specification.version = " + specVersion + "' >&2\n";
    for (String tool : new String[] {"java", "javac"}) {
      Path p = bin.resolve(tool);
      Files.writeString(p, script);
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  private String[] find(Map<String, String> env) throws Exception {
    Path script = Path.of("bin/lib/jdk.sh").toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". '" + script + "'; quarry_find_jdk && echo \"$JAVA_HOME\"");
    pb.environment().remove("JAVA_HOME");
    pb.environment().put("PATH", toolsOnly().toString());   // no java or javac on the PATH
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return new String[] {String.valueOf(p.waitFor()), out, err};
  }

  /** A PATH folder with the few tools jdk.sh uses and no JDK. */
  private Path toolsOnly() throws IOException {
    Path tools = Files.createDirectories(jvms.resolve(".tools"));   // hidden: the JDK scan skips it
    for (String tool : new String[] {"grep", "dirname", "readlink"}) {
      Path link = tools.resolve(tool);
      if (!Files.exists(link)) {
        Path target = Files.exists(Path.of("/usr/bin", tool)) ? Path.of("/usr/bin", tool) : Path.of("/bin", tool);
        Files.createSymbolicLink(link, target);
      }
    }
    return tools;
  }

  @Test
  void picksTheNewestJdkWhenJavaHomeIsTooOld() throws Exception {
    fakeJdk("jdk-17", "17");
    fakeJdk("jdk-21", "21");
    fakeJdk("jdk-25", "25");
    String[] r = find(Map.of("QUARRY_JVM_DIRS", jvms.toString(), "JAVA_HOME", jvms.resolve("jdk-17").toString()));
    assertThat(r[0]).isEqualTo("0");
    assertThat(r[1]).isEqualTo(jvms.resolve("jdk-25").toString());
  }

  @Test
  void keepsASuitableJavaHome() throws Exception {
    fakeJdk("jdk-21", "21");
    fakeJdk("jdk-25", "25");
    String[] r = find(Map.of("QUARRY_JVM_DIRS", jvms.toString(), "JAVA_HOME", jvms.resolve("jdk-21").toString()));
    assertThat(r[1]).isEqualTo(jvms.resolve("jdk-21").toString());
  }

  @Test
  void saysClearlyWhenNoJdkIsNewEnough() throws Exception {
    fakeJdk("jdk-11", "11");
    fakeJdk("jdk-1.8", "1.8");
    String[] r = find(Map.of("QUARRY_JVM_DIRS", jvms.toString()));
    assertThat(r[0]).isEqualTo("1");
    assertThat(r[2]).contains("no JDK 21 or newer was found").contains("The newest found was Java 11");
  }
}
