package dev.quarry.mine;

import dev.quarry.data.Dataset;
import dev.quarry.data.Passage;
import dev.quarry.util.Progress;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** One streaming pass over a corpus that keeps only the passages asked for, by id or by position in the corpus. */
final class CorpusLookup {
  /** What a pass found, and how many passages the corpus has. */
  record Found(int corpusSize, Map<String, Passage> byId, Map<Integer, Passage> byIndex) {
  }

  private CorpusLookup() {
  }

  /**
   * @param ids passages wanted by id
   * @param indices passages wanted by 0-based position in corpus order
   * @param knownSize the corpus size when known (for progress), else -1
   */
  static Found scan(Dataset dataset, Set<String> ids, Set<Integer> indices, long knownSize, String task,
      Progress progress) {
    Map<String, Passage> byId = new HashMap<>();
    Map<Integer, Passage> byIndex = new HashMap<>();
    int[] position = {0};
    try (Progress.Task t = progress.start(task, knownSize)) {
      dataset.forEachPassage(p -> {
        if (ids.contains(p.id())) {
          byId.put(p.id(), p);
        }
        if (indices.contains(position[0])) {
          byIndex.put(position[0], p);
        }
        position[0]++;
        t.step();
      });
    }
    return new Found(position[0], byId, byIndex);
  }
}
