package dev.quarry.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir
  Path tmp;

  @Test
  void roundTripsF32WithNamesShapesAndAlignedData() throws Exception {
    NamedTensor a = new NamedTensor("a.weight", new long[] {2, 3}, new float[] {1, -2, 3.5f, 0, -0f, Float.MIN_VALUE});
    NamedTensor b = new NamedTensor("b.bias", new long[] {1}, new float[] {42});
    Path file = tmp.resolve("model.safetensors");
    Safetensors.write(file, List.of(a, b), Map.of("format", "pt"));
    byte[] bytes = Files.readAllBytes(file);
    long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(headerLength % 8).isZero();
    assertThat(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8))
        .contains("\"__metadata__\":{\"format\":\"pt\"}").contains("\"a.weight\":{\"dtype\":\"F32\",\"shape\":[2,3]");
    Map<String, NamedTensor> back = Safetensors.read(file);
    assertThat(back.keySet()).containsExactly("a.weight", "b.bias");
    assertThat(back.get("a.weight").values()).containsExactly(a.values());
    assertThat(back.get("a.weight").shape()).containsExactly(2, 3);
  }

  @Test
  void readsF16AndBf16() throws Exception {
    String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[4,6]}}";
    ByteBuffer buf = ByteBuffer.allocate(8 + header.length() + 6).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
    buf.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-2f));
    buf.putShort((short) (Float.floatToIntBits(3.0f) >>> 16));
    Path file = tmp.resolve("half.safetensors");
    Files.write(file, buf.array());
    Map<String, NamedTensor> t = Safetensors.read(file);
    assertThat(t.get("h").values()).containsExactly(1.5f, -2f);
    assertThat(t.get("b").values()).containsExactly(3.0f);
  }

  @Test
  void rejectsGarbage() throws Exception {
    Path file = tmp.resolve("bad.safetensors");
    Files.write(file, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
    assertThatThrownBy(() -> Safetensors.read(file)).hasMessageContaining("not a safetensors file");
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
      "{\"t\":{\"dtype\":\"F32\",\"shape\":[1]}}| tensor t: \"data_offsets\" must be two integers [begin, end], found nothing",
      "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}| tensor t: \"data_offsets\" must be two integers",
      "{\"t\":{\"shape\":[1],\"data_offsets\":[0,4]}}| tensor t: no \"dtype\"",
      "{\"t\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}| tensor t: no \"shape\" array",
      "{\"t\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}| \"shape\" holds -1",
      "{\"t\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}| inconsistent data_offsets",
      "{\"t\":7}| tensor t: its header entry is not an object",
      "[1, 2]| the safetensors header is not a JSON object",
      "{\"t\": | the safetensors header is not valid JSON"})
  void aCorruptHeaderGetsOneLineNamingTheFileAndTheField(String header, String message) throws Exception {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buf = ByteBuffer.allocate(8 + h.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(h.length).put(h).putFloat(1f);
    Path file = tmp.resolve("corrupt.safetensors");
    Files.write(file, buf.array());
    assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file.toString()).hasMessageContaining(message.trim());
  }
}
