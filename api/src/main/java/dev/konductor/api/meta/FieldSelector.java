package dev.konductor.api.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A field selector ({@code ?fieldSelector=metadata.name=x,spec.nodeName!=y}): the AND of
 * equality terms over an object's selectable fields. Values may escape {@code \,}, {@code \=} and
 * {@code \\}, as upstream. Which field names a kind supports is the API server's business; this
 * class only parses and matches.
 */
public final class FieldSelector {

    /** One {@code field=value} or {@code field!=value} term. */
    public record Term(String field, boolean equals, String value) {

        public boolean matches(Function<String, String> fieldValue) {
            String actual = fieldValue.apply(field);
            boolean same = (actual == null ? "" : actual).equals(value);
            return equals == same;
        }

        @Override
        public String toString() {
            return field + (equals ? "=" : "!=") + escape(value);
        }
    }

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final String[] OPERATORS = {"!=", "==", "="};

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = List.copyOf(terms);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses the string form.
     *
     * @throws SelectorParseException e.g. {@code invalid selector: 'x'; can't understand 'x'}
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(selector);
        parts.sort(null);
        List<Term> terms = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            terms.add(parseTerm(selector, part));
        }
        return new FieldSelector(terms);
    }

    public static FieldSelector of(List<Term> terms) {
        return new FieldSelector(terms);
    }

    /** Whether every term holds; {@code fieldValue} returns a field's value, or null for a missing one. */
    public boolean matches(Function<String, String> fieldValue) {
        for (Term t : terms) {
            if (!t.matches(fieldValue)) {
                return false;
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return terms.isEmpty();
    }

    public List<Term> terms() {
        return terms;
    }

    /** The value an equality term pins {@code field} to, if any (for watch cache indexes). */
    public Optional<String> requiresExactMatch(String field) {
        return terms.stream().filter(t -> t.equals() && t.field().equals(field)).map(Term::value).findFirst();
    }

    @Override
    public String toString() {
        return String.join(",", terms.stream().map(Term::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector other && other.terms.equals(terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    private static Term parseTerm(String selector, String part) {
        // The field name cannot be escaped, so the first operator found splits the term.
        for (int i = 0; i < part.length(); i++) {
            for (String op : OPERATORS) {
                if (part.startsWith(op, i)) {
                    String value = unescape(part.substring(i + op.length()));
                    return new Term(part.substring(0, i), !op.equals("!="), value);
                }
            }
        }
        throw new SelectorParseException("invalid selector: '" + selector + "'; can't understand '" + part + "'");
    }

    /** Splits on commas that are not escaped; escapes stay in the pieces for {@link #unescape}. */
    private static List<String> splitTerms(String s) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + c);
                }
                out.append(c);
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',' || c == '=') {
                // Go prints the rune as its code point here; clients see exactly that.
                throw new SelectorParseException("invalid field selector: unescaped character in value: " + (int) c);
            } else {
                out.append(c);
            }
        }
        if (inSlash) {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return out.toString();
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=");
    }
}
