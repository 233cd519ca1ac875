package dev.quarry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quarry.api.SearchIndex;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The search page in a real browser: headless Chromium (Debian's {@code chromium}, apt-get installed when missing)
 * opens {@code /?q=...}, the page's script searches, and the DOM it leaves has the expected passage first, its
 * title with the query term highlighted; a phone-sized screenshot is kept in {@code target/browser/}. Opt-in (group
 * {@code browser}): {@code bin/test -Dtest=SearchPageBrowserTest -Dquarry.groups=browser -Dquarry.excludedGroups=}.
 */
@Tag("browser")
class SearchPageBrowserTest {
  @TempDir
  Path tmp;

  @Test
  void aQueryInThePageShowsTheExpectedPassageFirst() throws Exception {
    Path chromium = chromium();
    ServiceFixtures.index(tmp);
    try (SearchIndex index = SearchIndex.open(tmp.resolve("index"));
        SearchService service = SearchService.start(index, null, "127.0.0.1", 0, 2)) {
      String url = "http://127.0.0.1:" + service.port() + "/?q=where+do+otters+live&mode=bm25";
      String dom = run(chromium, "--dump-dom", url);
      Matcher first = Pattern.compile("<li class=\"hit\" data-id=\"([^\"]+)\"").matcher(dom);
      assertThat(first.find()).as("a hit in the page's DOM:\n" + dom).isTrue();
      assertThat(first.group(1)).isEqualTo("otter");
      assertThat(dom).contains("<mark>Otters</mark> of the river").contains("1 hit, bm25");
      Path shots = Path.of("target/browser").toAbsolutePath();
      Files.createDirectories(shots);
      run(chromium, "--screenshot=" + shots.resolve("search-page-phone.png"), url);
      assertThat(shots.resolve("search-page-phone.png")).isNotEmptyFile();
    }
  }

  /** Chromium's output for one headless visit of a phone-sized window, after the page's scripts have run. */
  private static String run(Path chromium, String action, String url) throws Exception {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--window-size=390,844", "--virtual-time-budget=10000", action, url));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(p.exitValue()).as("chromium's exit code").isZero();
    return out;
  }

  private static Path chromium() throws Exception {
    Path bin = Path.of("/usr/bin/chromium");
    if (!Files.isExecutable(bin)) {
      List<String> install = List.of("apt-get", "install", "-y", "-q", "chromium");
      if (!"root".equals(System.getProperty("user.name"))) {
        install = new ArrayList<>(install);
        install.add(0, "sudo");
      }
      Process p = new ProcessBuilder(install).inheritIO().start();
      assertThat(p.waitFor()).as("apt-get install chromium").isZero();
    }
    return bin;
  }
}
