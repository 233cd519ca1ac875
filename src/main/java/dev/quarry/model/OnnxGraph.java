package dev.quarry.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model file that weight import needs: the graph's nodes (op type, inputs, outputs) and its
 * float32 initializers. Read straight from the protobuf wire format (ONNX's {@code onnx.proto}: ModelProto.graph = 7;
 * GraphProto.node = 1, initializer = 5; NodeProto.input = 1, output = 2, name = 3, op_type = 4; TensorProto.dims = 1,
 * data_type = 2, float_data = 4, name = 8, raw_data = 9, data_location = 14), so no generated classes are needed.
 */
public final class OnnxGraph {
  private static final int FLOAT = 1;

  /** One operator of the graph. */
  public record Node(String name, String opType, List<String> inputs, List<String> outputs) {
  }

  private final List<Node> nodes;
  private final Map<String, NamedTensor> initializers;

  private OnnxGraph(List<Node> nodes, Map<String, NamedTensor> initializers) {
    this.nodes = nodes;
    this.initializers = initializers;
  }

  public List<Node> nodes() {
    return nodes;
  }

  /** Float initializers by name, in file order. */
  public Map<String, NamedTensor> initializers() {
    return initializers;
  }

  /** Parses a whole ONNX model; non-float initializers are skipped. */
  public static OnnxGraph read(InputStream in, String source) throws IOException {
    CodedInputStream model = CodedInputStream.newInstance(in.readAllBytes());
    model.setSizeLimit(Integer.MAX_VALUE);
    model.enableAliasing(true);
    List<Node> nodes = new ArrayList<>();
    Map<String, NamedTensor> initializers = new LinkedHashMap<>();
    boolean sawGraph = false;
    for (int tag; (tag = model.readTag()) != 0; ) {
      if (WireFormat.getTagFieldNumber(tag) == 7) {
        sawGraph = true;
        readGraph(model.readBytes().newCodedInput(), nodes, initializers, source);
      } else {
        model.skipField(tag);
      }
    }
    if (!sawGraph) {
      throw new IOException(source + ": not an ONNX model (no graph)");
    }
    return new OnnxGraph(List.copyOf(nodes), initializers);
  }

  private static void readGraph(CodedInputStream graph, List<Node> nodes, Map<String, NamedTensor> initializers,
      String source) throws IOException {
    graph.setSizeLimit(Integer.MAX_VALUE);
    for (int tag; (tag = graph.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> nodes.add(readNode(graph.readBytes().newCodedInput()));
        case 5 -> {
          NamedTensor t = readTensor(graph.readBytes(), source);
          if (t != null) {
            initializers.put(t.name(), t);
          }
        }
        default -> graph.skipField(tag);
      }
    }
  }

  private static Node readNode(CodedInputStream node) throws IOException {
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    String name = "";
    String op = "";
    for (int tag; (tag = node.readTag()) != 0; ) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> inputs.add(node.readStringRequireUtf8());
        case 2 -> outputs.add(node.readStringRequireUtf8());
        case 3 -> name = node.readStringRequireUtf8();
        case 4 -> op = node.readStringRequireUtf8();
        default -> node.skipField(tag);
      }
    }
    return new Node(name, op, List.copyOf(inputs), List.copyOf(outputs));
  }

  private static NamedTensor readTensor(ByteString bytes, String source) throws IOException {
    CodedInputStream t = bytes.newCodedInput();
    t.setSizeLimit(Integer.MAX_VALUE);
    List<Long> dims = new ArrayList<>();
    int type = 0;
    String name = "";
    ByteString raw = null;
    List<Float> floats = new ArrayList<>();
    for (int tag; (tag = t.readTag()) != 0; ) {
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      switch (field) {
        case 1 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = t.pushLimit(t.readRawVarint32());
            while (t.getBytesUntilLimit() > 0) {
              dims.add(t.readInt64());
            }
            t.popLimit(limit);
          } else {
            dims.add(t.readInt64());
          }
        }
        case 2 -> type = t.readInt32();
        case 4 -> {
          if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = t.pushLimit(t.readRawVarint32());
            while (t.getBytesUntilLimit() > 0) {
              floats.add(t.readFloat());
            }
            t.popLimit(limit);
          } else {
            floats.add(t.readFloat());
          }
        }
        case 8 -> name = t.readStringRequireUtf8();
        case 9 -> raw = t.readBytes();
        case 14 -> {
          if (t.readEnum() == 1) {
            throw new IOException(source + ": initializer stores its data in an external file, which is not supported");
          }
        }
        default -> t.skipField(tag);
      }
    }
    if (type != FLOAT) {
      return null;
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : shape) {
      count *= d;
    }
    float[] values = new float[Math.toIntExact(count)];
    if (raw != null) {
      if (raw.size() != count * 4) {
        throw new IOException(source + ": initializer " + name + " has " + raw.size() + " bytes for " + count + " floats");
      }
      ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      buffer.asFloatBuffer().get(values);
    } else {
      if (floats.size() != count) {
        throw new IOException(source + ": initializer " + name + " has " + floats.size() + " floats, dims say " + count);
      }
      for (int i = 0; i < values.length; i++) {
        values[i] = floats.get(i);
      }
    }
    return new NamedTensor(name, shape, values);
  }
}
