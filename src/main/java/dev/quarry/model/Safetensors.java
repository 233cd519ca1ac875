package dev.quarry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quarry.io.AtomicOutput;
import dev.quarry.io.JsonLines;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping each tensor name to its
 * {@code dtype}, {@code shape} and {@code data_offsets} (plus optional {@code __metadata__} strings), then the raw
 * little-endian data. Quarry writes F32 and reads F32, F16 and BF16 (widened to float).
 */
public final class Safetensors {
  private Safetensors() {
  }

  public static Map<String, NamedTensor> read(Path file) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      readFully(ch, lenBuf, 0);
      long headerLen = lenBuf.flip().getLong();
      if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > ch.size()) {
        throw new IllegalArgumentException(file + ": not a safetensors file (header length " + headerLen + ")");
      }
      ByteBuffer header = ByteBuffer.allocate((int) headerLen);
      readFully(ch, header, 8);
      JsonNode json;
      try {
        json = JsonLines.MAPPER.readTree(new String(header.array(), StandardCharsets.UTF_8));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalArgumentException(file + ": the safetensors header is not valid JSON: "
            + e.getOriginalMessage(), e);
      }
      if (json == null || !json.isObject()) {
        throw new IllegalArgumentException(file + ": the safetensors header is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      Map<String, NamedTensor> out = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("__metadata__")) {
          continue;
        }
        JsonNode t = e.getValue();
        String where = file + ": tensor " + e.getKey();
        if (!t.isObject()) {
          throw new IllegalArgumentException(where + ": its header entry is not an object");
        }
        if (!t.path("dtype").isTextual()) {
          throw new IllegalArgumentException(where + ": no \"dtype\" in its header entry");
        }
        String dtype = t.path("dtype").asText();
        JsonNode shapeNode = t.path("shape");
        if (!shapeNode.isArray()) {
          throw new IllegalArgumentException(where + ": no \"shape\" array in its header entry");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
          if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
            throw new IllegalArgumentException(where + ": \"shape\" holds " + shapeNode.get(i)
                + ", not a dimension");
          }
          shape[i] = shapeNode.get(i).asLong();
          count = Math.multiplyExact(count, shape[i]);
        }
        JsonNode offsets = t.path("data_offsets");
        if (!offsets.isArray() || offsets.size() != 2 || !offsets.get(0).canConvertToLong()
            || !offsets.get(1).canConvertToLong()) {
          throw new IllegalArgumentException(where + ": \"data_offsets\" must be two integers [begin, end], found "
              + (offsets.isMissingNode() ? "nothing" : offsets.toString()));
        }
        long begin = offsets.get(0).asLong();
        long end = offsets.get(1).asLong();
        if (count > Integer.MAX_VALUE || begin < 0 || end < begin) {
          throw new IllegalArgumentException(where + ": has inconsistent data_offsets " + offsets);
        }
        int width = switch (dtype) {
          case "F32" -> 4;
          case "F16", "BF16" -> 2;
          default -> throw new IllegalArgumentException(file + ": tensor " + e.getKey() + " has dtype " + dtype
              + "; only F32, F16 and BF16 are supported");
        };
        if (end - begin != count * width || dataStart + end > ch.size()) {
          throw new IllegalArgumentException(file + ": tensor " + e.getKey() + " has inconsistent data_offsets");
        }
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(end - begin)).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, data, dataStart + begin);
        data.flip();
        float[] values = new float[(int) count];
        switch (dtype) {
          case "F32" -> data.asFloatBuffer().get(values);
          case "F16" -> {
            for (int i = 0; i < values.length; i++) {
              values[i] = Float.float16ToFloat(data.getShort());
            }
          }
          default -> {
            for (int i = 0; i < values.length; i++) {
              values[i] = Float.intBitsToFloat((data.getShort() & 0xffff) << 16);
            }
          }
        }
        out.put(e.getKey(), new NamedTensor(e.getKey(), shape, values));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes tensors as F32, atomically, with string metadata (e.g. {@code {"format": "pt"}}). */
  public static void write(Path file, Iterable<NamedTensor> tensors, Map<String, String> metadata) {
    ObjectNode header = JsonLines.MAPPER.createObjectNode();
    ObjectNode meta = header.putObject("__metadata__");
    metadata.forEach(meta::put);
    long offset = 0;
    for (NamedTensor t : tensors) {
      ObjectNode o = header.putObject(t.name());
      o.put("dtype", "F32");
      var shape = o.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      o.putArray("data_offsets").add(offset).add(offset + 4L * t.values().length);
      offset += 4L * t.values().length;
    }
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    int padded = (json.length + 7) / 8 * 8;   // keep the data 8-byte aligned, as the reference writer does
    try (AtomicOutput out = AtomicOutput.create(file)) {
      OutputStream s = out.stream();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
      s.write(len.array());
      s.write(json);
      for (int i = json.length; i < padded; i++) {
        s.write(' ');
      }
      for (NamedTensor t : tensors) {
        ByteBuffer b = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(t.values());
        s.write(b.array());
      }
      out.commit();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
    long pos = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file");
      }
      pos += n;
    }
  }
}
