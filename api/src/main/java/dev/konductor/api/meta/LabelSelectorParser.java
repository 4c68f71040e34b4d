package dev.konductor.api.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Parses the string form of a label selector ({@code a=b,c!=d,e in (x,y),f notin (z),g,!h}) with
 * upstream's grammar and error messages:
 *
 * <pre>
 *   selector    ::= requirement | requirement "," selector
 *   requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 * </pre>
 *
 * The words {@code in} and {@code notin} are operators after a key but plain values inside
 * parentheses, which is why tokens are looked at in a context.
 */
final class LabelSelectorParser {

    private enum Token { ERROR, END, CLOSE_PAREN, COMMA, NOT, DOUBLE_EQUALS, EQUALS, GREATER_THAN, IDENTIFIER, IN,
        LESS_THAN, NOT_EQUALS, NOT_IN, OPEN_PAREN }

    private record Item(Token token, String literal) {
    }

    /** In a value position the keywords in/notin are identifiers. */
    private enum Context { KEY_AND_OPERATOR, VALUES }

    private static final Map<String, Token> SYMBOLS = Map.ofEntries(
            Map.entry(")", Token.CLOSE_PAREN), Map.entry(",", Token.COMMA), Map.entry("!", Token.NOT),
            Map.entry("==", Token.DOUBLE_EQUALS), Map.entry("=", Token.EQUALS), Map.entry(">", Token.GREATER_THAN),
            Map.entry("in", Token.IN), Map.entry("<", Token.LESS_THAN), Map.entry("!=", Token.NOT_EQUALS),
            Map.entry("notin", Token.NOT_IN), Map.entry("(", Token.OPEN_PAREN));

    private final List<Item> items = new ArrayList<>();
    private int position;

    private LabelSelectorParser(String input) {
        lex(input);
    }

    static List<LabelRequirement> parse(String input) {
        LabelSelectorParser p = new LabelSelectorParser(input);
        List<LabelRequirement> requirements = p.parseSelector();
        requirements.sort((a, b) -> a.key().compareTo(b.key()));
        return requirements;
    }

    private List<LabelRequirement> parseSelector() {
        List<LabelRequirement> requirements = new ArrayList<>();
        while (true) {
            Item next = lookahead(Context.VALUES);
            switch (next.token()) {
                case IDENTIFIER, NOT -> {
                    try {
                        requirements.add(parseRequirement());
                    } catch (SelectorParseException e) {
                        throw new SelectorParseException("unable to parse requirement: " + e.getMessage());
                    }
                    Item after = consume(Context.VALUES);
                    switch (after.token()) {
                        case END -> {
                            return requirements;
                        }
                        case COMMA -> {
                            Item t2 = lookahead(Context.VALUES);
                            if (t2.token() != Token.IDENTIFIER && t2.token() != Token.NOT) {
                                throw new SelectorParseException("found '" + t2.literal() + "', expected: identifier after ','");
                            }
                        }
                        default -> throw new SelectorParseException(
                                "found '" + after.literal() + "', expected: ',' or 'end of string'");
                    }
                }
                case END -> {
                    return requirements;
                }
                default -> throw new SelectorParseException(
                        "found '" + next.literal() + "', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement parseRequirement() {
        boolean negated = false;
        Item key = consume(Context.VALUES);
        if (key.token() == Token.NOT) {
            negated = true;
            key = consume(Context.VALUES);
        }
        if (key.token() != Token.IDENTIFIER) {
            throw new SelectorParseException("found '" + key.literal() + "', expected: identifier");
        }
        List<String> keyErrs = IdentifierSyntax.qualifiedName(key.literal());
        if (!keyErrs.isEmpty()) {
            throw new SelectorParseException(GoErrorText.invalid(null, key.literal(), String.join("; ", keyErrs)));
        }
        Token following = lookahead(Context.VALUES).token();
        if (negated || following == Token.END || following == Token.COMMA) {
            // "!key" takes no operator; a bare key means Exists.
            return LabelRequirement.of(key.literal(), negated ? SelectorOperator.DOES_NOT_EXIST : SelectorOperator.EXISTS,
                    List.of());
        }
        SelectorOperator op = parseOperator();
        List<String> values = switch (op) {
            case IN, NOT_IN -> parseValues();
            default -> parseExactValue();
        };
        return LabelRequirement.of(key.literal(), op, values);
    }

    private SelectorOperator parseOperator() {
        Item op = consume(Context.KEY_AND_OPERATOR);
        return switch (op.token()) {
            case IN -> SelectorOperator.IN;
            case EQUALS -> SelectorOperator.EQUALS;
            case DOUBLE_EQUALS -> SelectorOperator.DOUBLE_EQUALS;
            case GREATER_THAN -> SelectorOperator.GREATER_THAN;
            case LESS_THAN -> SelectorOperator.LESS_THAN;
            case NOT_IN -> SelectorOperator.NOT_IN;
            case NOT_EQUALS -> SelectorOperator.NOT_EQUALS;
            default -> throw new SelectorParseException(
                    "found '" + op.literal() + "', expected: " + SelectorOperator.binaryList());
        };
    }

    /** {@code (a,b,c)}; empty members such as {@code (a,,b)} or {@code ()} are the empty string. */
    private List<String> parseValues() {
        Item open = consume(Context.VALUES);
        if (open.token() != Token.OPEN_PAREN) {
            throw new SelectorParseException("found '" + open.literal() + "' expected: '('");
        }
        Item first = lookahead(Context.VALUES);
        switch (first.token()) {
            case IDENTIFIER, COMMA -> {
                TreeSet<String> values = parseIdentifierList();
                if (consume(Context.VALUES).token() != Token.CLOSE_PAREN) {
                    throw new SelectorParseException("found '" + first.literal() + "', expected: ')'");
                }
                return List.copyOf(values);
            }
            case CLOSE_PAREN -> {
                consume(Context.VALUES);
                return List.of("");
            }
            default -> throw new SelectorParseException(
                    "found '" + first.literal() + "', expected: ',', ')' or identifier");
        }
    }

    private TreeSet<String> parseIdentifierList() {
        TreeSet<String> values = new TreeSet<>();
        while (true) {
            Item item = consume(Context.VALUES);
            switch (item.token()) {
                case IDENTIFIER -> {
                    values.add(item.literal());
                    Item next = lookahead(Context.VALUES);
                    if (next.token() == Token.CLOSE_PAREN) {
                        return values;
                    }
                    if (next.token() != Token.COMMA) {
                        throw new SelectorParseException("found '" + next.literal() + "', expected: ',' or ')'");
                    }
                }
                case COMMA -> {
                    if (values.isEmpty()) {
                        values.add("");
                    }
                    Token next = lookahead(Context.VALUES).token();
                    if (next == Token.CLOSE_PAREN) {
                        values.add("");
                        return values;
                    }
                    if (next == Token.COMMA) {
                        values.add("");
                    }
                }
                default -> throw new SelectorParseException("found '" + item.literal() + "', expected: ',', or identifier");
            }
        }
    }

    private List<String> parseExactValue() {
        Token next = lookahead(Context.VALUES).token();
        if (next == Token.END || next == Token.COMMA) {
            return List.of("");
        }
        Item value = consume(Context.VALUES);
        if (value.token() == Token.IDENTIFIER) {
            return List.of(value.literal());
        }
        throw new SelectorParseException("found '" + value.literal() + "', expected: identifier");
    }

    private Item lookahead(Context context) {
        return inContext(items.get(position), context);
    }

    private Item consume(Context context) {
        return inContext(items.get(position++), context);
    }

    private static Item inContext(Item item, Context context) {
        if (context == Context.VALUES && (item.token() == Token.IN || item.token() == Token.NOT_IN)) {
            return new Item(Token.IDENTIFIER, item.literal());
        }
        return item;
    }

    // ---- lexer ----

    private void lex(String s) {
        int pos = 0;
        while (true) {
            while (pos < s.length() && isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (pos >= s.length()) {
                items.add(new Item(Token.END, ""));
                return;
            }
            int start = pos;
            if (isSpecial(s.charAt(pos))) {
                // Longest run of symbols that still forms a known operator ("!=" rather than "!" then "=").
                Token last = null;
                String lastLiteral = "";
                StringBuilder buf = new StringBuilder();
                while (pos < s.length() && isSpecial(s.charAt(pos))) {
                    buf.append(s.charAt(pos));
                    Token t = SYMBOLS.get(buf.toString());
                    if (t != null) {
                        last = t;
                        lastLiteral = buf.toString();
                    } else if (last != null) {
                        break;
                    }
                    pos++;
                }
                if (last == null) {
                    items.add(new Item(Token.ERROR, "error expected: keyword found '" + buf + "'"));
                } else {
                    items.add(new Item(last, lastLiteral));
                    pos = start + lastLiteral.length();
                }
            } else {
                while (pos < s.length() && !isSpecial(s.charAt(pos)) && !isWhitespace(s.charAt(pos))) {
                    pos++;
                }
                String word = s.substring(start, pos);
                Token keyword = SYMBOLS.get(word);
                items.add(new Item(keyword == null ? Token.IDENTIFIER : keyword, word));
            }
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpecial(char c) {
        return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
    }
}
