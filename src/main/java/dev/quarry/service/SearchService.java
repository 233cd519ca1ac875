package dev.quarry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.api.Encoder;
import dev.quarry.api.Hit;
import dev.quarry.api.PassageReranker;
import dev.quarry.api.SearchIndex;
import dev.quarry.api.SearchMode;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP service over one search index (the JDK's HTTP server, no framework): JSON in and out.
 * <ul>
 *   <li>{@code GET /search?q=TEXT&k=10&mode=hybrid&rerank=false}: the top {@code k} (1 to {@value #MAX_K}) hits;
 *   <li>{@code POST /encode} <code>{"texts": [...], "kind": "query"|"passage"}</code>: vectors from the index's model;
 *   <li>{@code POST /rerank} <code>{"query": "...", "passages": [{"id", "title", "text"}, ...]}</code>: the passages
 *       reordered by the cross-encoder (when the service has one);
 *   <li>{@code GET /health}: the index's size and models;
 *   <li>{@code GET /}: the search page.
 * </ul>
 * A bad request gets 400 and <code>{"error": "..."}</code> (a missing or empty {@code q}, {@code k} out of range, an
 * unknown mode, invalid JSON, too many texts), a body over {@value #MAX_BODY} bytes gets 413, an unknown path 404, a
 * wrong method 405. No request names a file: the service reads only the index it was started with, which it never
 * writes. {@link #stop} lets requests in flight finish.
 */
public final class SearchService implements AutoCloseable {
  /** Most hits one search returns. */
  public static final int MAX_K = 1000;
  /** Largest request body, in bytes. */
  public static final int MAX_BODY = 1 << 20;
  /** Most texts one /encode or passages one /rerank takes. */
  public static final int MAX_TEXTS = 256;
  /** Longest query, in characters. */
  public static final int MAX_QUERY = 2000;

  private final SearchIndex index;
  private final PassageReranker reranker;
  private final Encoder encoder;
  private final HttpServer server;
  private final ExecutorService workers;
  private final byte[] page;

  private SearchService(SearchIndex index, PassageReranker reranker, Encoder encoder, HttpServer server,
      ExecutorService workers) {
    this.index = index;
    this.reranker = reranker;
    this.encoder = encoder;
    this.server = server;
    this.workers = workers;
    this.page = resource("search.html");
  }

  /**
   * Starts serving {@code index} (and {@code reranker}, which may be null) on {@code host:port} with
   * {@code threads} request threads; port 0 picks a free one. A port in use is an error that says so.
   */
  public static SearchService start(SearchIndex index, PassageReranker reranker, String host, int port, int threads) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 64);
    } catch (BindException e) {
      throw new IllegalArgumentException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
          + " (is another server running there? pick another --port)", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
    }
    ExecutorService workers = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "quarry-http");
      t.setDaemon(true);
      return t;
    });
    Encoder encoder = index.encoder();
    SearchService service = new SearchService(index, reranker, encoder, server, workers);
    server.setExecutor(workers);
    server.createContext("/", service::handle);
    server.start();
    return service;
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      try {
        switch (path) {
          case "/" -> {
            requireMethod(method, "GET");
            send(exchange, 200, "text/html; charset=utf-8", page);
          }
          case "/health" -> {
            requireMethod(method, "GET");
            sendJson(exchange, 200, health());
          }
          case "/search" -> {
            requireMethod(method, "GET");
            sendJson(exchange, 200, search(query(exchange.getRequestURI().getRawQuery())));
          }
          case "/encode" -> {
            requireMethod(method, "POST");
            sendJson(exchange, 200, encode(body(exchange)));
          }
          case "/rerank" -> {
            requireMethod(method, "POST");
            sendJson(exchange, 200, rerank(body(exchange)));
          }
          default -> throw new HttpError(404, "no such path: " + path
              + " (GET /search, POST /encode, POST /rerank, GET /health, GET /)");
        }
      } catch (HttpError e) {
        sendJson(exchange, e.status, error(e.getMessage()));
      } catch (RuntimeException e) {
        sendJson(exchange, 500, error("internal error: " + e));
      }
    }
  }

  private ObjectNode health() {
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("status", "ok");
    o.put("documents", index.manifest().documents());
    o.put("model", index.manifest().spec().model());
    o.put("vectors", index.manifest().spec().vectors().name().toLowerCase(Locale.ROOT));
    o.put("reranker", reranker != null);
    return o;
  }

  private ObjectNode search(Map<String, String> params) {
    String q = params.get("q");
    if (q == null || q.isBlank()) {
      throw new HttpError(400, "q is required: the query text (GET /search?q=...)");
    }
    if (q.length() > MAX_QUERY) {
      throw new HttpError(400, "q is " + q.length() + " characters; at most " + MAX_QUERY);
    }
    int k = integer(params, "k", 10, 1, MAX_K);
    SearchMode mode = mode(params.getOrDefault("mode", "hybrid"));
    boolean rerank = bool(params, "rerank");
    if (rerank && reranker == null) {
      throw new HttpError(400, "rerank=true, but the service runs without a reranker (serve --reranker DIR)");
    }
    long started = System.nanoTime();
    List<Hit> hits = index.search(q, mode, k);
    if (rerank) {
      hits = reranker.rerank(q, hits);
    }
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("query", q).put("mode", mode.name().toLowerCase(Locale.ROOT)).put("k", k).put("reranked", rerank);
    o.put("took_ms", (System.nanoTime() - started) / 1e6);
    ArrayNode out = o.putArray("hits");
    for (Hit h : hits) {
      out.addObject().put("rank", h.rank()).put("id", h.id()).put("score", h.score()).put("title", h.title())
          .put("text", h.text());
    }
    return o;
  }

  private ObjectNode encode(JsonNode body) {
    List<String> texts = texts(body.get("texts"), "texts");
    String kind = body.path("kind").asText("query");
    float[][] vectors = switch (kind) {
      case "query" -> encoder.encodeQueries(texts);
      case "passage" -> encoder.encodePassages(texts);
      default -> throw new HttpError(400, "kind must be query or passage, found \"" + kind + "\"");
    };
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("kind", kind).put("dimension", encoder.dimension());
    ArrayNode out = o.putArray("vectors");
    for (float[] v : vectors) {
      ArrayNode row = out.addArray();
      for (float x : v) {
        row.add(x);
      }
    }
    return o;
  }

  private ObjectNode rerank(JsonNode body) {
    if (reranker == null) {
      throw new HttpError(400, "the service runs without a reranker (serve --reranker DIR)");
    }
    JsonNode q = body.get("query");
    if (q == null || !q.isTextual() || q.asText().isBlank()) {
      throw new HttpError(400, "query is required: a non-empty string");
    }
    JsonNode passages = body.get("passages");
    if (passages == null || !passages.isArray() || passages.isEmpty() || passages.size() > MAX_TEXTS) {
      throw new HttpError(400, "passages must be a list of 1 to " + MAX_TEXTS + " objects with id, title, text");
    }
    List<Hit> hits = new ArrayList<>();
    for (JsonNode p : passages) {
      if (!p.isObject() || !p.path("text").isTextual()) {
        throw new HttpError(400, "passages[" + hits.size() + "] must be an object with a text (and an id, a title)");
      }
      hits.add(new Hit(hits.size() + 1, p.path("id").asText(String.valueOf(hits.size())), 0,
          p.path("title").asText(""), p.get("text").asText()));
    }
    List<Hit> reranked = reranker.rerank(q.asText(), hits);
    ObjectNode o = JsonLines.MAPPER.createObjectNode();
    o.put("query", q.asText());
    ArrayNode out = o.putArray("hits");
    for (Hit h : reranked) {
      out.addObject().put("rank", h.rank()).put("id", h.id()).put("score", h.score())
          .put("probability", reranker.probability((float) h.score()));
    }
    return o;
  }

  private static List<String> texts(JsonNode node, String field) {
    if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_TEXTS) {
      throw new HttpError(400, field + " must be a list of 1 to " + MAX_TEXTS + " strings");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode t : node) {
      if (!t.isTextual()) {
        throw new HttpError(400, field + "[" + texts.size() + "] must be a string, found " + t.getNodeType()
            .name().toLowerCase(Locale.ROOT));
      }
      texts.add(t.asText());
    }
    return texts;
  }

  private static SearchMode mode(String text) {
    try {
      return SearchMode.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "mode must be one of " + Arrays.stream(SearchMode.values())
          .map(m -> m.name().toLowerCase(Locale.ROOT)).toList() + ", found \"" + text + "\"");
    }
  }

  private static int integer(Map<String, String> params, String name, int fallback, int min, int max) {
    String text = params.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(text.strip());
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new HttpError(400, name + " must be an integer from " + min + " to " + max + ", found \"" + text + "\"");
  }

  private static boolean bool(Map<String, String> params, String name) {
    String text = params.getOrDefault(name, "false");
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no", "" -> false;
      default -> throw new HttpError(400, name + " must be true or false, found \"" + text + "\"");
    };
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (params.putIfAbsent(key, value) != null) {
        throw new HttpError(400, "parameter " + key + " is given twice");
      }
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "malformed percent-encoding in the query string: " + e.getMessage());
    }
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw new HttpError(413, "the request body is over " + MAX_BODY + " bytes");
    }
    JsonNode node;
    try {
      node = JsonLines.MAPPER.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(400, "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new HttpError(400, "the body must be a JSON object");
    }
    return node;
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw new HttpError(405, method + " is not allowed here; use " + allowed);
    }
  }

  private static ObjectNode error(String message) {
    return JsonLines.MAPPER.createObjectNode().put("error", message);
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8",
        JsonLines.MAPPER.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = SearchService.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + name + " is missing: build Quarry with Maven");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops accepting requests and waits up to {@code graceSeconds} for those in flight to finish; the index and
   * reranker stay open (their owner closes them).
   */
  public void stop(int graceSeconds) {
    server.stop(graceSeconds);
    workers.shutdown();
    try {
      workers.awaitTermination(graceSeconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(5);
  }

  /** A request's failure, with its HTTP status. */
  private static final class HttpError extends RuntimeException {
    final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }
}
