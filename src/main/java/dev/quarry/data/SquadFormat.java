package dev.quarry.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.io.DataFormatException;
import dev.quarry.io.JsonErrors;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQuAD v1.1 JSON read as a closed retrieval corpus: every paragraph is a passage (id
 * {@code <article title>_p<paragraph index>}, title the article title with underscores as spaces), every question a
 * query whose one relevant passage is its own paragraph, and the answer texts its answers.
 */
public final class SquadFormat {
  private SquadFormat() {
  }

  /**
   * A whole SQuAD file as retrieval data.
   *
   * @param articles for each query id, the index (in file order, from 0) of the article it was asked on
   */
  public record Collection(List<Passage> passages, List<Query> queries, Qrels qrels, Map<String, List<String>> answers,
      Map<String, Integer> articles) {

    /** This collection's queries, judgments and answers restricted to the queries of the given articles. */
    public Collection restrictTo(java.util.function.IntPredicate article) {
      List<Query> kept = queries.stream().filter(q -> article.test(articles.get(q.id()))).toList();
      java.util.Set<String> ids = new java.util.HashSet<>();
      kept.forEach(q -> ids.add(q.id()));
      Map<String, List<String>> keptAnswers = new LinkedHashMap<>();
      Map<String, Integer> keptArticles = new LinkedHashMap<>();
      kept.forEach(q -> {
        keptAnswers.put(q.id(), answers.get(q.id()));
        keptArticles.put(q.id(), articles.get(q.id()));
      });
      return new Collection(passages, kept, qrels.restrictTo(ids), keptAnswers, keptArticles);
    }
  }

  public static Collection read(Path file) {
    JsonNode root;
    JsonErrors.CountingInput counted = null;
    try (InputStream in = counted = new JsonErrors.CountingInput(Files.newInputStream(file))) {
      root = JsonLines.MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      throw JsonErrors.of(file, e, counted);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      throw new DataFormatException(file, 0, "truncated or corrupt compressed file: " + e.getMessage(), e);
    } catch (NoSuchFileException e) {
      throw new DataFormatException(file, "file not found", e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
    JsonNode data = root == null ? null : root.get("data");
    if (data == null || !data.isArray()) {
      throw new DataFormatException(file, 0, "not a SQuAD file: no \"data\" array at the top level");
    }
    List<Passage> passages = new ArrayList<>();
    List<Query> queries = new ArrayList<>();
    Qrels.Builder qrels = Qrels.builder(file);
    Map<String, List<String>> answers = new LinkedHashMap<>();
    Map<String, String> seenPassages = new HashMap<>();
    Map<String, Integer> articles = new LinkedHashMap<>();
    for (int a = 0; a < data.size(); a++) {
      JsonNode article = data.get(a);
      String where = "data[" + a + "]";
      JsonLines.ErrorSink errors = problem -> new DataFormatException(file, 0, where + ": " + problem);
      String title = JsonLines.requireText(article, "title", errors);
      JsonNode paragraphs = article.get("paragraphs");
      if (paragraphs == null || !paragraphs.isArray()) {
        throw errors.error("missing array \"paragraphs\"");
      }
      for (int p = 0; p < paragraphs.size(); p++) {
        JsonNode paragraph = paragraphs.get(p);
        String pWhere = where + ".paragraphs[" + p + "]";
        JsonLines.ErrorSink pErrors = problem -> new DataFormatException(file, 0, pWhere + ": " + problem);
        String passageId = title.strip().replaceAll("\\s+", "_") + "_p" + p;
        if (seenPassages.putIfAbsent(passageId, pWhere) != null) {
          throw pErrors.error("paragraph id " + passageId + " repeats " + seenPassages.get(passageId));
        }
        passages.add(new Passage(passageId, title.replace('_', ' '), JsonLines.requireText(paragraph, "context", pErrors)));
        JsonNode qas = paragraph.get("qas");
        if (qas == null || !qas.isArray()) {
          throw pErrors.error("missing array \"qas\"");
        }
        for (JsonNode qa : qas) {
          String qid = Ids.check(JsonLines.requireText(qa, "id", pErrors), "question id", pErrors);
          if (answers.containsKey(qid)) {
            throw pErrors.error("duplicate question id \"" + qid + "\"");
          }
          queries.add(new Query(qid, JsonLines.requireText(qa, "question", pErrors)));
          qrels.add(qid, passageId, 1, 0);
          List<String> texts = new ArrayList<>();
          JsonNode list = qa.get("answers");
          if (list != null && list.isArray()) {
            for (JsonNode answer : list) {
              texts.add(JsonLines.requireText(answer, "text", pErrors));
            }
          }
          answers.put(qid, List.copyOf(texts));
          articles.put(qid, a);
        }
      }
    }
    return new Collection(List.copyOf(passages), List.copyOf(queries), qrels.build(), answers, articles);
  }
}
