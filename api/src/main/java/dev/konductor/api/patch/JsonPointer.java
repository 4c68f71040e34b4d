package dev.konductor.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** An RFC 6901 JSON pointer, split into unescaped reference tokens. */
record JsonPointer(List<String> tokens) {

    static JsonPointer parse(String pointer) {
        if (pointer.isEmpty()) {
            return new JsonPointer(List.of());
        }
        if (pointer.charAt(0) != '/') {
            throw JsonPatch.invalid();
        }
        List<String> tokens = new ArrayList<>();
        for (String raw : pointer.substring(1).split("/", -1)) {
            // ~1 first, then ~0, so that "~01" becomes "~1" and not "/".
            tokens.add(raw.replace("~1", "/").replace("~0", "~"));
        }
        return new JsonPointer(List.copyOf(tokens));
    }

    boolean isRoot() {
        return tokens.isEmpty();
    }

    JsonPointer parent() {
        return new JsonPointer(tokens.subList(0, tokens.size() - 1));
    }

    String last() {
        return tokens.getLast();
    }

    boolean isProperPrefixOf(JsonPointer other) {
        return tokens.size() < other.tokens.size() && other.tokens.subList(0, tokens.size()).equals(tokens);
    }

    /** The value at this pointer, or null when it does not exist. */
    JsonNode resolve(JsonNode doc) {
        JsonNode cur = doc;
        for (String token : tokens) {
            if (cur == null) {
                return null;
            }
            if (cur.isObject()) {
                cur = cur.get(token);
            } else if (cur.isArray()) {
                int i = arrayIndex(token);
                cur = i >= 0 && i < cur.size() ? cur.get(i) : null;
            } else {
                return null;
            }
        }
        return cur;
    }

    /** The array index a token names, or -1 when it is not a plain non-negative decimal. */
    static int arrayIndex(String token) {
        if (token.isEmpty() || token.length() > 9 || (token.length() > 1 && token.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < token.length(); i++) {
            if (!Character.isDigit(token.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(token);
    }
}
