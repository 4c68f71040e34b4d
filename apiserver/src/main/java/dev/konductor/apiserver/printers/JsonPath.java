package dev.konductor.apiserver.printers;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The subset of kubectl's JSONPath that CRD {@code additionalPrinterColumns} use: field steps
 * ({@code .spec.replicas}, {@code ['app.kubernetes.io/name']}, {@code .labels.app\.kubernetes\.io/name}),
 * indexes ({@code [0]}, {@code [-1]}, {@code [*]}) and equality filters
 * ({@code [?(@.type=="Ready")]}, {@code !=}, or a bare {@code [?(@.ready)]} for presence).
 * Recursive descent and unions are rejected when the path is compiled.
 */
final class JsonPath {

    private sealed interface Step permits Field, Index, Wildcard, Filter {
    }

    private record Field(String name) implements Step {
    }

    private record Index(int index) implements Step {
    }

    private record Wildcard() implements Step {
    }

    /** {@code @.path op literal}; a null {@code op} tests presence. */
    private record Filter(JsonPath path, String op, String literal) implements Step {
    }

    private final String source;
    private final List<Step> steps;

    private JsonPath(String source, List<Step> steps) {
        this.source = source;
        this.steps = List.copyOf(steps);
    }

    /** Compiles a path, with or without the surrounding braces kubectl templates use. */
    static JsonPath compile(String path) {
        String body = path.strip();
        if (body.startsWith("{") && body.endsWith("}")) {
            body = body.substring(1, body.length() - 1).strip();
        }
        if (body.startsWith("$")) {
            body = body.substring(1);
        }
        return new JsonPath(path, new Parser(path, body).steps());
    }

    /** Every value the path selects, in document order; empty when nothing matches. */
    List<JsonNode> find(JsonNode root) {
        List<JsonNode> current = List.of(root);
        for (Step step : steps) {
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode node : current) {
                apply(step, node, next);
            }
            current = next;
        }
        return current;
    }

    private static void apply(Step step, JsonNode node, List<JsonNode> out) {
        switch (step) {
            case Field f -> {
                JsonNode child = node.isObject() ? node.get(f.name()) : null;
                if (child != null) {
                    out.add(child);
                }
            }
            case Index i -> {
                if (node.isArray()) {
                    int index = i.index() < 0 ? node.size() + i.index() : i.index();
                    if (index >= 0 && index < node.size()) {
                        out.add(node.get(index));
                    }
                }
            }
            case Wildcard w -> {
                if (node.isContainerNode()) {
                    node.forEach(out::add);
                }
            }
            case Filter f -> {
                if (node.isArray()) {
                    node.forEach(element -> {
                        if (matches(f, element)) {
                            out.add(element);
                        }
                    });
                }
            }
        }
    }

    private static boolean matches(Filter filter, JsonNode element) {
        List<JsonNode> found = filter.path().find(element);
        if (filter.op() == null) {
            return !found.isEmpty();
        }
        boolean equal = !found.isEmpty() && found.get(0).isValueNode() && found.get(0).asText().equals(filter.literal());
        return filter.op().equals("==") == equal;
    }

    @Override
    public String toString() {
        return source;
    }

    /** A hand-written scanner: the grammar is small and the errors should name the position. */
    private static final class Parser {
        private final String original;
        private final String text;
        private int pos;

        Parser(String original, String text) {
            this.original = original;
            this.text = text;
        }

        List<Step> steps() {
            List<Step> steps = new ArrayList<>();
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '.') {
                    pos++;
                    if (pos < text.length() && text.charAt(pos) == '.') {
                        throw error("recursive descent (..) is not supported");
                    }
                    if (pos < text.length() && text.charAt(pos) == '*') {
                        pos++;
                        steps.add(new Wildcard());
                    } else {
                        steps.add(new Field(name()));
                    }
                } else if (c == '[') {
                    steps.add(bracket());
                } else {
                    throw error("expected . or [");
                }
            }
            return steps;
        }

        private String name() {
            StringBuilder name = new StringBuilder();
            while (pos < text.length() && text.charAt(pos) != '.' && text.charAt(pos) != '[') {
                char c = text.charAt(pos++);
                if (c == '\\' && pos < text.length()) {
                    c = text.charAt(pos++);
                }
                name.append(c);
            }
            if (name.isEmpty()) {
                throw error("empty field name");
            }
            return name.toString();
        }

        private Step bracket() {
            int close = text.indexOf(']', pos);
            if (text.startsWith("[?(", pos)) {
                close = text.indexOf(")]", pos);
                if (close < 0) {
                    throw error("unterminated filter");
                }
                String expression = text.substring(pos + 3, close).strip();
                pos = close + 2;
                return filter(expression);
            }
            if (close < 0) {
                throw error("unterminated [");
            }
            String inside = text.substring(pos + 1, close).strip();
            pos = close + 1;
            if (inside.equals("*")) {
                return new Wildcard();
            }
            if (isQuoted(inside)) {
                return new Field(inside.substring(1, inside.length() - 1));
            }
            try {
                return new Index(Integer.parseInt(inside));
            } catch (NumberFormatException e) {
                throw error("unsupported subscript [" + inside + "]");
            }
        }

        private Step filter(String expression) {
            if (!expression.startsWith("@")) {
                throw error("a filter must start with @");
            }
            for (String op : new String[] {"==", "!="}) {
                int at = expression.indexOf(op);
                if (at > 0) {
                    String literal = expression.substring(at + 2).strip();
                    if (isQuoted(literal)) {
                        literal = literal.substring(1, literal.length() - 1);
                    }
                    return new Filter(relative(expression.substring(1, at).strip()), op, literal);
                }
            }
            return new Filter(relative(expression.substring(1).strip()), null, null);
        }

        private JsonPath relative(String path) {
            return new JsonPath(path, new Parser(original, path).steps());
        }

        private static boolean isQuoted(String s) {
            return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""));
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("invalid JSONPath " + original + " at " + pos + ": " + what);
        }
    }
}
