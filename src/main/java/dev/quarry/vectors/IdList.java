package dev.quarry.vectors;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** The ordered ids of an artifact: their rules, and the SHA-256 the manifest records as {@code ids_sha256}. */
final class IdList {
  private IdList() {
  }

  /**
   * Checks every id (non-null, non-empty, no {@code \n} or {@code \r}, valid Unicode, unique) and returns the
   * SHA-256 of all of them, each followed by {@code \n}, in UTF-8.
   */
  static String checkAndHash(List<String> ids) {
    if (ids == null) {
      throw new IllegalArgumentException("ids must not be null");
    }
    MessageDigest digest = newSha256();
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    Map<String, Integer> rows = new HashMap<>(Math.max(16, ids.size() * 2));
    int row = 0;
    for (String id : ids) {
      ByteBuffer bytes = check(id, row, encoder);
      Integer earlier = rows.putIfAbsent(id, row);
      if (earlier != null) {
        throw new IllegalArgumentException("duplicate id \"" + id + "\" at rows " + earlier + " and " + row);
      }
      digest.update(bytes);
      digest.update((byte) '\n');
      row++;
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The SHA-256 of ids {@code [from, to)}, each followed by {@code \n}: what their {@code .ids} file must hash to. */
  static String hash(List<String> ids, int from, int to) {
    MessageDigest digest = newSha256();
    for (int i = from; i < to; i++) {
      digest.update(line(ids.get(i)));
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The bytes of an id's line in an {@code .ids} file. */
  static byte[] line(String id) {
    return (id + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static ByteBuffer check(String id, int row, CharsetEncoder encoder) {
    if (id == null) {
      throw new IllegalArgumentException("the id of row " + row + " is null");
    }
    if (id.isEmpty()) {
      throw new IllegalArgumentException("the id of row " + row + " is empty");
    }
    if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("the id of row " + row + " contains a line break: \""
          + id.replace("\n", "\\n").replace("\r", "\\r") + "\"");
    }
    try {
      return encoder.reset().encode(CharBuffer.wrap(id));
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the id of row " + row + " is not valid Unicode (an unpaired surrogate)", e);
    }
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
