package dev.konductor.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The few fields of one pod watch event the scheduler benchmark looks at. Read with a streaming
 * parser that skips everything else: the benchmark shares the machine with the server, so it must
 * not spend much per event (a 150,000-pod run sees almost half a million).
 *
 * @param type     ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
 * @param name     metadata.name ("" if absent)
 * @param nodeName spec.nodeName ("" while unbound)
 * @param phase    status.phase ("" if absent)
 */
record PodEvent(String type, String name, String nodeName, String phase) {

    private static final JsonFactory JSON = new JsonFactory();

    boolean bound() {
        return !nodeName.isEmpty();
    }

    boolean running() {
        return phase.equals("Running");
    }

    /** Parses one line of a watch response ({@code {"type":...,"object":{...}}}). */
    static PodEvent parse(byte[] line, int offset, int length) throws IOException {
        String type = "";
        String[] fields = {"", "", ""};
        try (JsonParser parser = JSON.createParser(line, offset, length)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("type") && value == JsonToken.VALUE_STRING) {
                    type = parser.getText();
                } else if (field.equals("object") && value == JsonToken.START_OBJECT) {
                    readObject(parser, fields);
                } else {
                    parser.skipChildren();
                }
            }
        }
        return new PodEvent(type, fields[0], fields[1], fields[2]);
    }

    static PodEvent parse(byte[] line) throws IOException {
        return parse(line, 0, line.length);
    }

    /** Fills metadata.name, spec.nodeName and status.phase into {@code fields}. */
    private static void readObject(JsonParser parser, String[] fields) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String section = parser.currentName();
            JsonToken value = parser.nextToken();
            int index = switch (section) {
                case "metadata" -> 0;
                case "spec" -> 1;
                case "status" -> 2;
                default -> -1;
            };
            if (index < 0 || value != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            String wanted = switch (index) {
                case 0 -> "name";
                case 1 -> "nodeName";
                default -> "phase";
            };
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken fieldValue = parser.nextToken();
                if (field.equals(wanted) && fieldValue == JsonToken.VALUE_STRING) {
                    fields[index] = parser.getText();
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken wanted) throws IOException {
        if (actual != wanted) {
            throw new IOException("expected " + wanted + " but found " + actual);
        }
    }
}
