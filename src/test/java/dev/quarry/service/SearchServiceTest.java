package dev.quarry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.PassageReranker;
import dev.quarry.api.Quarry;
import dev.quarry.api.SearchIndex;
import dev.quarry.io.JsonLines;
import dev.quarry.rerank.CrossEncoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service end to end over loopback: every endpoint, every bad request, the page, a used port. */
class SearchServiceTest {
  @TempDir
  static Path tmp;
  static SearchIndex index;
  static PassageReranker reranker;
  static SearchService service;
  static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    ServiceFixtures.Built built = ServiceFixtures.index(tmp);
    Path model = built.model();
    try (CrossEncoder ce = CrossEncoder.fromEncoder(model, 32, 7)) {
      ce.save(tmp.resolve("ce"));
    }
    index = SearchIndex.open(tmp.resolve("index"));
    reranker = Quarry.reranker(tmp.resolve("ce"));
    service = SearchService.start(index, reranker, "127.0.0.1", 0, 4);
  }

  @AfterAll
  static void stop() {
    service.stop(1);
    index.close();
    reranker.close();
  }

  private static HttpResponse<String> get(String pathAndQuery) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET written byte for byte on a socket: the status line, headers and body that come back. */
  private static String rawGet(String target) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", service.port())) {
      socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  private static URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + service.port() + pathAndQuery);
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JsonLines.MAPPER.readTree(response.body());
  }

  private static void assertError(HttpResponse<String> response, int status, String message) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    assertThat(json(response).path("error").asText()).contains(message);
  }

  @Test
  void searchHealthEncodeAndRerankAnswerJson() throws Exception {
    JsonNode health = json(get("/health"));
    assertThat(health.path("status").asText()).isEqualTo("ok");
    assertThat(health.path("documents").asInt()).isEqualTo(3);
    assertThat(health.path("reranker").asBoolean()).isTrue();

    JsonNode found = json(get("/search?q=where%20do%20otters%20live&k=2&mode=bm25"));
    assertThat(found.path("mode").asText()).isEqualTo("bm25");
    assertThat(found.path("hits")).hasSize(1);   // one passage has a query term
    JsonNode hit = found.path("hits").get(0);
    assertThat(hit.path("id").asText()).isEqualTo("otter");
    assertThat(hit.path("title").asText()).isEqualTo("Otters of the river");
    assertThat(hit.path("text").asText()).isEqualTo("Otters live in rivers and eat fish.");
    assertThat(json(get("/search?q=otters&mode=HYBRID")).path("hits")).hasSize(3);
    JsonNode reranked = json(get("/search?q=otters&k=3&mode=dense&rerank=true"));
    assertThat(reranked.path("reranked").asBoolean()).isTrue();
    assertThat(reranked.path("hits")).hasSize(3);
    assertThat(reranked.path("hits").get(0).path("score").asDouble())
        .isGreaterThanOrEqualTo(reranked.path("hits").get(2).path("score").asDouble());

    JsonNode encoded = json(post("/encode", "{\"texts\": [\"otters\", \"eagles\"], \"kind\": \"query\"}"));
    assertThat(encoded.path("vectors")).hasSize(2);
    assertThat(encoded.path("vectors").get(0)).hasSize(index.encoder().dimension());
    float[] direct = index.encoder().encodeQuery("otters");
    assertThat(encoded.path("vectors").get(0).get(5).floatValue()).isEqualTo(direct[5]);

    JsonNode rr = json(post("/rerank", "{\"query\": \"otters\", \"passages\": [{\"id\": \"a\", \"text\": \"Salmon "
        + "swim.\"}, {\"id\": \"b\", \"title\": \"Otters\", \"text\": \"Otters live in rivers.\"}]}"));
    float[] scores = reranker.score("otters", List.of("Salmon swim.", "Otters Otters live in rivers."));
    String best = scores[1] >= scores[0] ? "b" : "a";
    assertThat(rr.path("hits").get(0).path("id").asText()).isEqualTo(best);
    assertThat(rr.path("hits").get(0).path("probability").asDouble()).isBetween(0.0, 1.0);
  }

  @Test
  void badRequestsGetAStatusAndAMessage() throws Exception {
    assertError(get("/search"), 400, "q is required");
    assertError(get("/search?q=%20"), 400, "q is required");
    assertError(get("/search?q=x&k=0"), 400, "k must be an integer from 1 to 1000, found \"0\"");
    assertError(get("/search?q=x&k=1001"), 400, "k must be an integer from 1 to 1000");
    assertError(get("/search?q=x&k=ten"), 400, "found \"ten\"");
    assertError(get("/search?q=x&mode=fuzzy"), 400, "mode must be one of [bm25, dense, hybrid], found \"fuzzy\"");
    assertError(get("/search?q=x&q=y"), 400, "parameter q is given twice");
    String raw = rawGet("/search?q=%zz");   // a URI that Java's HTTP client refuses to send
    assertThat(raw).startsWith("HTTP/1.1 400");   // the JDK's server refuses it before the service sees it
    assertError(get("/search?q=x&rerank=maybe"), 400, "rerank must be true or false");
    assertError(get("/search?q=" + "a".repeat(SearchService.MAX_QUERY + 1)), 400, "characters; at most 2000");
    assertError(post("/search", "{}"), 405, "POST is not allowed here; use GET");
    assertError(get("/etc/passwd"), 404, "no such path: /etc/passwd");
    assertError(post("/encode", "{\"texts\": [\"a\"],"), 400, "the body is not valid JSON");
    assertError(post("/encode", "[1]"), 400, "the body must be a JSON object");
    assertError(post("/encode", "{\"texts\": []}"), 400, "texts must be a list of 1 to 256 strings");
    assertError(post("/encode", "{\"texts\": [\"a\", 3]}"), 400, "texts[1] must be a string, found number");
    assertError(post("/encode", "{\"texts\": [\"a\"], \"kind\": \"doc\"}"), 400, "kind must be query or passage");
    assertError(post("/encode", "{\"texts\": [\"" + "a".repeat(SearchService.MAX_BODY) + "\"]}"), 413,
        "the request body is over 1048576 bytes");
    assertError(post("/rerank", "{\"passages\": [{\"text\": \"t\"}]}"), 400, "query is required");
    assertError(post("/rerank", "{\"query\": \"q\", \"passages\": [{\"title\": \"t\"}]}"), 400,
        "passages[0] must be an object with a text");
    // the service still answers after all of that
    assertThat(get("/health").statusCode()).isEqualTo(200);
  }

  @Test
  void thePageIsServedAndEscapesWhatItShows() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<meta name=\"viewport\"", "fetch('/search?' + params)", "function escapeHtml");
  }

  @Test
  void theServeCommandAnswersAndStopsOnSigterm() throws Exception {
    Path log = tmp.resolve("serve.log");
    Process child = dev.quarry.testing.KilledChild.start(log, "serve", "--index", tmp.resolve("index").toString(),
        "--port", "0", "--grace", "2");
    try {
      Matcher listening = null;
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (System.nanoTime() < deadline && child.isAlive()) {
        listening = Pattern.compile("on http://127.0.0.1:(\\d+)/").matcher(java.nio.file.Files.readString(log));
        if (listening.find()) {
          break;
        }
        listening = null;
        Thread.sleep(50);
      }
      assertThat(listening).as(java.nio.file.Files.readString(log)).isNotNull();
      HttpResponse<String> health = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
          + listening.group(1) + "/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(json(health).path("documents").asInt()).isEqualTo(3);
      child.destroy();   // SIGTERM: the shutdown hook stops the server and closes the index
      assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("stopped").isTrue();
      assertThat(java.nio.file.Files.readString(log)).doesNotContain("Exception");
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void aSecondServiceOnAUsedPortFailsSayingSo() {
    assertThatThrownBy(() -> SearchService.start(index, null, "127.0.0.1", service.port(), 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot listen on 127.0.0.1:" + service.port())
        .hasMessageContaining("pick another --port");
  }
}
