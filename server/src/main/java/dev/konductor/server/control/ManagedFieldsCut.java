package dev.konductor.server.control;

/**
 * Cuts an object's {@code metadata.managedFields} out of its text before it is parsed: a watch
 * event's ({@code object.metadata.managedFields}) or a response's.
 * The in-process clients skip managed fields ({@link LocalClients}), but a skipped member is
 * still tokenized, and its field names are the least repetitive of any object's: each names an
 * owner ({@code k:{"uid":"…"}}) or a pod CIDR ({@code v:"10.244.5.0/24"}). Canonicalized as every
 * field name is, thousands of them crowded Jackson's name table until looking a name up there
 * was an eighth of an idle 5,000-node server's CPU. A scan that only follows the text's structure
 * finds the member without reading any name but the few on its way.
 *
 * <p>Only the member at exactly that path is cut (a config map's data key of the same name is
 * left alone); text laid out otherwise, or not valid JSON, is returned as it is, for the parser
 * to read or reject.
 */
final class ManagedFieldsCut {

    private static final String[] IN_EVENT = {"object", "metadata", "managedFields"};
    private static final String[] IN_OBJECT = {"metadata", "managedFields"};

    private final String json;
    private int pos;

    private ManagedFieldsCut(String json) {
        this.json = json;
    }

    /** {@code event} without its object's managed fields, or {@code event} itself. */
    static String of(String event) {
        return cut(event, IN_EVENT);
    }

    /** {@code object} (an API response's body) without its managed fields, or {@code object} itself. */
    static String ofObject(String object) {
        return cut(object, IN_OBJECT);
    }

    private static String cut(String json, String[] path) {
        if (!json.contains("\"managedFields\"")) {
            return json;
        }
        try {
            return new ManagedFieldsCut(json).cut(path);
        } catch (IndexOutOfBoundsException | IllegalStateException e) {
            return json; // truncated or not JSON: the parser says what is wrong with it
        }
    }

    private String cut(String[] path) {
        for (int depth = 0; depth < path.length; depth++) {
            if (!enterObject()) {
                return json;
            }
            boolean found = false;
            while (!found) {
                int memberStart = pos;
                String name = nextName();
                if (name == null) {
                    return json; // the object ended without the member
                }
                if (!name.equals(path[depth])) {
                    skipValue();
                    continue;
                }
                if (depth < path.length - 1) {
                    found = true; // descend into its value
                } else {
                    skipValue();
                    return without(memberStart, pos);
                }
            }
        }
        return json;
    }

    /** Consumes whitespace and a '{'; false if the next value is not an object. */
    private boolean enterObject() {
        skipWhitespace();
        if (json.charAt(pos) != '{') {
            return false;
        }
        pos++;
        return true;
    }

    /**
     * The next member's name, consuming it and its colon (and a comma before it); null at the
     * object's end.
     */
    private String nextName() {
        skipWhitespace();
        char c = json.charAt(pos);
        if (c == ',') {
            pos++;
            skipWhitespace();
            c = json.charAt(pos);
        }
        if (c == '}') {
            return null;
        }
        if (c != '"') {
            throw new IllegalStateException("a name expected");
        }
        int start = pos + 1;
        skipString();
        String name = json.substring(start, pos - 1);
        skipWhitespace();
        if (json.charAt(pos) != ':') {
            throw new IllegalStateException("a colon expected");
        }
        pos++;
        return name;
    }

    /** Skips one value of any kind. */
    private void skipValue() {
        skipWhitespace();
        int depth = 0;
        do {
            char c = json.charAt(pos);
            switch (c) {
                case '"' -> skipString();
                case '{', '[' -> {
                    depth++;
                    pos++;
                }
                case '}', ']' -> {
                    depth--;
                    pos++;
                }
                default -> {
                    if (depth == 0) {
                        skipScalar();
                    } else {
                        pos++;
                    }
                }
            }
        } while (depth > 0);
        if (depth < 0) {
            throw new IllegalStateException("unbalanced");
        }
    }

    /** Skips a string starting at the opening quote, escapes included. */
    private void skipString() {
        pos++;
        while (true) {
            char c = json.charAt(pos++);
            if (c == '\\') {
                pos++;
            } else if (c == '"') {
                return;
            }
        }
    }

    /** Skips a number, true, false or null. */
    private void skipScalar() {
        int start = pos;
        while (pos < json.length() && ",}] \t\r\n".indexOf(json.charAt(pos)) < 0) {
            pos++;
        }
        if (pos == start) {
            throw new IllegalStateException("a value expected");
        }
    }

    private void skipWhitespace() {
        while (Character.isWhitespace(json.charAt(pos))) {
            pos++;
        }
    }

    /**
     * The text without the member from {@code start} (where its comma, if any, began) to
     * {@code end}; a first member takes the comma after it instead.
     */
    private String without(int start, int end) {
        int from = start;
        while (Character.isWhitespace(json.charAt(from))) {
            from++;
        }
        if (json.charAt(from) == ',') {
            return json.substring(0, from) + json.substring(end);
        }
        int to = end;
        while (Character.isWhitespace(json.charAt(to))) {
            to++;
        }
        if (json.charAt(to) == ',') {
            to++;
        }
        return json.substring(0, from) + json.substring(to);
    }
}
