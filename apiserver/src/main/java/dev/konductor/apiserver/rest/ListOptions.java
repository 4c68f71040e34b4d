package dev.konductor.apiserver.rest;

import dev.konductor.api.meta.FieldSelector;
import dev.konductor.api.meta.LabelSelector;
import dev.konductor.api.meta.SelectorParseException;
import dev.konductor.api.status.StatusException;
import dev.konductor.apiserver.http.HttpExchange;
import dev.konductor.apiserver.watchcache.WatchFilter;

/** The query parameters of a list or watch, parsed and checked. */
record ListOptions(LabelSelector labels, FieldSelector fields, String resourceVersion, String resourceVersionMatch,
                   int limit, String continueToken, boolean watch, boolean bookmarks, long timeoutSeconds) {

    static ListOptions parse(HttpExchange exchange) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(nullToEmpty(exchange.param("labelSelector")));
            fields = FieldSelector.parse(nullToEmpty(exchange.param("fieldSelector")));
        } catch (SelectorParseException e) {
            throw StatusException.badRequest(e.getMessage());
        }
        int limit = parseInt(exchange.param("limit"), "limit");
        long timeout = parseInt(exchange.param("timeoutSeconds"), "timeoutSeconds");
        return new ListOptions(labels, fields, exchange.param("resourceVersion"), exchange.param("resourceVersionMatch"),
                limit, exchange.param("continue"), parseBool(exchange.param("watch"), "watch"),
                parseBool(exchange.param("allowWatchBookmarks"), "allowWatchBookmarks"), timeout);
    }

    /**
     * A boolean query parameter as upstream's Go conversion reads it ({@code 1, t, T, TRUE, true,
     * True} and their false forms; the Python client sends {@code watch=True}). Absent is false.
     */
    static boolean parseBool(String value, String name) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw StatusException.badRequest("invalid " + name + ": strconv.ParseBool: parsing \""
                    + value + "\": invalid syntax");
        };
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static int parseInt(String value, String name) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw StatusException.badRequest("invalid " + name + ": " + value);
        }
    }

    /** The cache filter for these selectors in {@code namespace} (null: all namespaces). */
    WatchFilter filter(String namespace) {
        String node = fields.requiresExactMatch("spec.nodeName").orElse(null);
        LabelSelector l = labels;
        FieldSelector f = fields;
        return new WatchFilter(namespace, node, o -> (l.isEmpty() || l.matches(o.labels()))
                && (f.isEmpty() || f.matches(o::field)));
    }
}
