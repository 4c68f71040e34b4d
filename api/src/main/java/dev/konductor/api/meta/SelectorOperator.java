package dev.konductor.api.meta;

/** A label selector requirement's operator, with upstream's {@code selection.Operator} spelling. */
public enum SelectorOperator {
    IN("in"),
    NOT_IN("notin"),
    EQUALS("="),
    DOUBLE_EQUALS("=="),
    NOT_EQUALS("!="),
    GREATER_THAN("gt"),
    LESS_THAN("lt"),
    EXISTS("exists"),
    DOES_NOT_EXIST("!");

    private final String symbol;

    SelectorOperator(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }

    /** The binary operators as upstream lists them in "expected:" parse errors. */
    static String binaryList() {
        return "in, notin, =, ==, !=, gt, lt";
    }
}
