package dev.konductor.apiserver.openapi;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema-less protobuf reader for tests: fields by number, length-delimited ones read as strings
 * or nested messages on demand, the way a generated gnostic decoder would see them.
 */
final class ProtoReader {

    private ProtoReader() {
    }

    static Message parse(byte[] bytes) {
        return parse(ByteString.copyFrom(bytes));
    }

    private static Message parse(ByteString bytes) {
        Map<Integer, List<Object>> fields = new HashMap<>();
        try {
            CodedInputStream in = bytes.newCodedInput();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                Object value = switch (WireFormat.getTagWireType(tag)) {
                    case WireFormat.WIRETYPE_VARINT -> in.readInt64();
                    case WireFormat.WIRETYPE_FIXED64 -> in.readDouble();
                    case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.readBytes();
                    case WireFormat.WIRETYPE_FIXED32 -> in.readFixed32();
                    default -> throw new IllegalStateException("unexpected wire type in tag " + tag);
                };
                fields.computeIfAbsent(WireFormat.getTagFieldNumber(tag), n -> new ArrayList<>()).add(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Message(fields);
    }

    record Message(Map<Integer, List<Object>> fields) {
        boolean has(int field) {
            return fields.containsKey(field);
        }

        String string(int field) {
            return has(field) ? ((ByteString) fields.get(field).getFirst()).toStringUtf8() : "";
        }

        List<String> strings(int field) {
            return fields.getOrDefault(field, List.of()).stream().map(b -> ((ByteString) b).toStringUtf8()).toList();
        }

        Message message(int field) {
            if (!has(field)) {
                throw new AssertionError("no field " + field + " in " + fields.keySet());
            }
            return parse((ByteString) fields.get(field).getFirst());
        }

        List<Message> messages(int field) {
            return fields.getOrDefault(field, List.of()).stream().map(b -> parse((ByteString) b)).toList();
        }
    }
}
