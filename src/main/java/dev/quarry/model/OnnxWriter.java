package dev.quarry.model;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds an ONNX model (a {@code ModelProto}) node by node and writes it in the protobuf wire format, with the field
 * numbers of ONNX's {@code onnx.proto} (the counterpart of {@link OnnxGraph}, which reads them), so no generated
 * classes are needed. Default-domain operators at one opset; tensors are stored as little-endian {@code raw_data}.
 *
 * <p>Names: graph inputs, outputs and initializers keep the names given; every node output is named
 * {@code /<op>_<n>} unless the caller names it (to bind a graph output).
 */
public final class OnnxWriter {
  /** ONNX {@code TensorProto.DataType} values used here. */
  public enum ElementType {
    FLOAT(1), UINT8(2), INT8(3), INT32(6), INT64(7);

    final int code;

    ElementType(int code) {
      this.code = code;
    }
  }

  /** A dimension of a graph input or output: a fixed size, or a symbolic name such as {@code batch}. */
  public record Dim(long value, String symbol) {
    public static Dim of(long value) {
      return new Dim(value, null);
    }

    public static Dim named(String symbol) {
      return new Dim(0, symbol);
    }
  }

  /** A node attribute (one of ONNX's {@code AttributeProto} kinds). */
  public sealed interface Attribute {
    String name();

    record Int(String name, long value) implements Attribute {
    }

    record Float(String name, float value) implements Attribute {
    }

    record Ints(String name, long[] values) implements Attribute {
    }
  }

  private static final int IR_VERSION = 8;

  private final int opset;
  private final List<byte[]> nodes = new ArrayList<>();
  private final Map<String, byte[]> initializers = new LinkedHashMap<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private final Set<String> names = new LinkedHashSet<>();
  private final Map<String, String> metadata = new LinkedHashMap<>();
  private int counter;

  public OnnxWriter(int opset) {
    this.opset = opset;
  }

  /** Declares a graph input. */
  public String input(String name, ElementType type, Dim... shape) {
    claim(name);
    inputs.add(valueInfo(name, type, shape));
    return name;
  }

  /** Declares a graph output produced by some node (named so with {@link #namedNode}). */
  public void output(String name, ElementType type, Dim... shape) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException("graph output " + name + " is produced by no node");
    }
    outputs.add(valueInfo(name, type, shape));
  }

  /** A float initializer. */
  public String initializer(String name, long[] dims, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    return tensor(name, ElementType.FLOAT, dims, b.array());
  }

  /** An int64 initializer. */
  public String initializer(String name, long[] dims, long[] values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    b.asLongBuffer().put(values);
    return tensor(name, ElementType.INT64, dims, b.array());
  }

  /** An 8-bit initializer ({@link ElementType#INT8} or {@link ElementType#UINT8}). */
  public String initializer(String name, ElementType type, long[] dims, byte[] values) {
    if (type != ElementType.INT8 && type != ElementType.UINT8) {
      throw new IllegalArgumentException("byte initializers are int8 or uint8, not " + type);
    }
    return tensor(name, type, dims, values.clone());
  }

  /** A float scalar constant (0-dimensional initializer) with a generated name. */
  public String scalar(float value) {
    return initializer(fresh("const"), new long[0], new float[] {value});
  }

  /** An int64 scalar constant (0-dimensional) with a generated name. */
  public String int64Scalar(long value) {
    return initializer(fresh("const"), new long[0], new long[] {value});
  }

  /** An int64 vector constant with a generated name. */
  public String int64s(long... values) {
    return initializer(fresh("const"), new long[] {values.length}, values);
  }

  /** A node with one output, named automatically; returns the output's name. */
  public String node(String op, List<String> in, Attribute... attributes) {
    return namedNode(op, fresh(op), in, attributes);
  }

  /** A node with one output of the given name. */
  public String namedNode(String op, String output, List<String> in, Attribute... attributes) {
    return nodeWithOutputs(op, List.of(output), in, attributes).get(0);
  }

  /** A node with several outputs, named automatically. */
  public List<String> node(String op, int outputCount, List<String> in, Attribute... attributes) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < outputCount; i++) {
      out.add(fresh(op));
    }
    return nodeWithOutputs(op, out, in, attributes);
  }

  private List<String> nodeWithOutputs(String op, List<String> out, List<String> in, Attribute... attributes) {
    for (String i : in) {
      if (!i.isEmpty() && !names.contains(i)) {
        throw new IllegalArgumentException(op + " reads " + i + ", which nothing defines yet");
      }
    }
    out.forEach(this::claim);
    Message n = new Message();
    in.forEach(i -> n.string(1, i));
    out.forEach(o -> n.string(2, o));
    n.string(3, out.get(0) + "_node");
    n.string(4, op);
    for (Attribute a : attributes) {
      n.message(5, attribute(a));
    }
    nodes.add(n.bytes());
    return out;
  }

  /** A {@code metadata_props} entry of the model. */
  public void metadata(String key, String value) {
    metadata.put(key, value);
  }

  /** The whole model as bytes. */
  public byte[] toBytes(String graphName) {
    Message graph = new Message();
    nodes.forEach(n -> graph.bytes(1, n));
    graph.string(2, graphName);
    initializers.values().forEach(t -> graph.bytes(5, t));
    inputs.forEach(i -> graph.bytes(11, i));
    outputs.forEach(o -> graph.bytes(12, o));
    Message model = new Message();
    model.int64(1, IR_VERSION);
    model.string(2, "quarry");
    Message opsetId = new Message();
    opsetId.string(1, "");
    opsetId.int64(2, opset);
    model.message(8, opsetId);
    metadata.forEach((k, v) -> {
      Message entry = new Message();
      entry.string(1, k);
      entry.string(2, v);
      model.message(14, entry);
    });
    model.message(7, graph);
    return model.bytes();
  }

  private String tensor(String name, ElementType type, long[] dims, byte[] raw) {
    claim(name);
    Message t = new Message();
    for (long d : dims) {
      t.int64(1, d);
    }
    t.int64(2, type.code);
    t.string(8, name);
    t.bytes(9, raw);
    initializers.put(name, t.bytes());
    return name;
  }

  private void claim(String name) {
    if (!names.add(name)) {
      throw new IllegalArgumentException("name " + name + " is defined twice in the graph");
    }
  }

  private String fresh(String prefix) {
    return "/" + prefix + "_" + counter++;
  }

  private static byte[] valueInfo(String name, ElementType type, Dim... shape) {
    Message dims = new Message();
    for (Dim d : shape) {
      Message dim = new Message();
      if (d.symbol() != null) {
        dim.string(2, d.symbol());
      } else {
        dim.int64(1, d.value());
      }
      dims.message(1, dim);
    }
    Message tensorType = new Message();
    tensorType.int64(1, type.code);
    tensorType.message(2, dims);
    Message typeProto = new Message();
    typeProto.message(1, tensorType);
    Message info = new Message();
    info.string(1, name);
    info.message(2, typeProto);
    return info.bytes();
  }

  private static Message attribute(Attribute a) {
    Message m = new Message();
    m.string(1, a.name());
    switch (a) {
      case Attribute.Int i -> {
        m.int64(3, i.value());
        m.int64(20, 2);
      }
      case Attribute.Float f -> {
        m.float32(2, f.value());
        m.int64(20, 1);
      }
      case Attribute.Ints is -> {
        for (long v : is.values()) {
          m.int64(8, v);
        }
        m.int64(20, 7);
      }
    }
    return m;
  }

  /** One protobuf message being written; nested messages are written whole, then embedded with their length. */
  private static final class Message {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(buffer);

    void string(int field, String value) {
      io(() -> out.writeString(field, value));
    }

    void int64(int field, long value) {
      io(() -> out.writeInt64(field, value));
    }

    void float32(int field, float value) {
      io(() -> out.writeFloat(field, value));
    }

    void bytes(int field, byte[] value) {
      io(() -> out.writeByteArray(field, value));
    }

    void message(int field, Message value) {
      bytes(field, value.bytes());
    }

    byte[] bytes() {
      io(out::flush);
      return buffer.toByteArray();
    }

    private interface Write {
      void run() throws IOException;
    }

    private static void io(Write w) {
      try {
        w.run();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write an ONNX message in memory", e);
      }
    }
  }
}
