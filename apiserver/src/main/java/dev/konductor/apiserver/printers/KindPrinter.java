package dev.konductor.apiserver.printers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * How one kind is printed: its columns and, for an object, one cell per column. Cells are
 * {@link String}, {@link Long}, {@link Boolean}, {@link Double} or null (kubectl shows
 * {@code <none>} for null). The server always produces every column, including the
 * {@code -o wide} ones; kubectl hides those by priority.
 *
 * @param conditions the row's {@code conditions} (upstream marks finished pods
 *                   {@code Completed}); empty for most kinds
 */
record KindPrinter(List<ColumnDefinition> columns, Cells cells, RowConditions conditions) {

    KindPrinter {
        columns = List.copyOf(columns);
    }

    KindPrinter(List<ColumnDefinition> columns, Cells cells) {
        this(columns, cells, object -> List.of());
    }

    @FunctionalInterface
    interface Cells {
        List<Object> of(ObjectNode object, Instant now);
    }

    /** A Table row condition: {@code {type, status, reason, message}}. */
    record RowCondition(String type, String status, String reason, String message) {
    }

    @FunctionalInterface
    interface RowConditions {
        List<RowCondition> of(ObjectNode object);
    }

    List<Object> cells(ObjectNode object, Instant now) {
        List<Object> row = cells.of(object, now);
        if (row.size() != columns.size()) {
            throw new IllegalStateException("printer produced " + row.size() + " cells for " + columns.size() + " columns");
        }
        return row;
    }

    /** A row of cells; unlike {@code List.of} it admits null cells. */
    static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }
}
