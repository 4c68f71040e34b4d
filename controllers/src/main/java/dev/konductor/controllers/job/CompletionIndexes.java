package dev.konductor.controllers.job;

import java.util.Iterator;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * A set of completion indexes in the compressed text form of {@code status.completedIndexes}:
 * ascending, runs of three or more written as ranges ({@code 1,2,4-6}).
 */
final class CompletionIndexes {

    private CompletionIndexes() {
    }

    /** The indexes named by {@code text}; malformed parts and those at or above {@code completions} are dropped. */
    static NavigableSet<Integer> parse(String text, int completions) {
        NavigableSet<Integer> indexes = new TreeSet<>();
        if (text == null || text.isBlank()) {
            return indexes;
        }
        for (String part : text.split(",")) {
            String[] bounds = part.trim().split("-", 2);
            try {
                int low = Integer.parseInt(bounds[0]);
                int high = bounds.length == 2 ? Integer.parseInt(bounds[1]) : low;
                for (int i = low; i <= high && i < completions; i++) {
                    if (i >= 0) {
                        indexes.add(i);
                    }
                }
            } catch (NumberFormatException e) {
                // upstream skips what it cannot read, too
            }
        }
        return indexes;
    }

    /** The compressed form, or null for the empty set (the field is then left out). */
    static String format(NavigableSet<Integer> indexes) {
        if (indexes.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Iterator<Integer> it = indexes.iterator();
        int start = it.next();
        int end = start;
        while (it.hasNext()) {
            int next = it.next();
            if (next == end + 1) {
                end = next;
                continue;
            }
            appendRun(out, start, end);
            start = next;
            end = next;
        }
        appendRun(out, start, end);
        return out.toString();
    }

    private static void appendRun(StringBuilder out, int start, int end) {
        if (!out.isEmpty()) {
            out.append(',');
        }
        out.append(start);
        if (end > start) {
            // a run of two is written as two single indexes, as upstream does
            out.append(end == start + 1 ? ',' : '-').append(end);
        }
    }
}
