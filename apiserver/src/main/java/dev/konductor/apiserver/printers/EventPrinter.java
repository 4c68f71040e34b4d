package dev.konductor.apiserver.printers;

import static dev.konductor.apiserver.printers.KindPrinter.row;
import static dev.konductor.apiserver.printers.ObjectFields.at;
import static dev.konductor.apiserver.printers.ObjectFields.instant;
import static dev.konductor.apiserver.printers.ObjectFields.integer;
import static dev.konductor.apiserver.printers.ObjectFields.name;
import static dev.konductor.apiserver.printers.ObjectFields.present;
import static dev.konductor.apiserver.printers.ObjectFields.since;
import static dev.konductor.apiserver.printers.ObjectFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code kubectl get events}: LAST SEEN, TYPE, REASON, OBJECT ({@code pod/web-1}), MESSAGE, and
 * wide SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
 *
 * <p>Serves both core/v1 events and events.k8s.io/v1 ones, which hold the same data under other
 * names ({@code regarding}, {@code note}, {@code deprecatedCount}...), as upstream prints both
 * from one internal type.
 */
final class EventPrinter {

    private EventPrinter() {
    }

    static KindPrinter printer() {
        return new KindPrinter(List.of(
                ColumnDefinition.string("Last Seen", "Time since the event was last observed."),
                ColumnDefinition.string("Type", "Normal or Warning."),
                ColumnDefinition.string("Reason", "A short machine-readable cause."),
                ColumnDefinition.string("Object", "The object the event is about, as kind/name."),
                ColumnDefinition.string("Subobject", "The part of the object, such as a container.").wide(),
                ColumnDefinition.string("Source", "The component that reported the event.").wide(),
                ColumnDefinition.string("Message", "A human-readable description."),
                ColumnDefinition.string("First Seen", "Time since the event was first observed.").wide(),
                ColumnDefinition.string("Count", "How many times the event occurred.").wide(),
                new ColumnDefinition("Name", "string", "name", "The event object's name.", 1)),
                EventPrinter::cells);
    }

    /** The fields the printer reads, whichever API version the event came in. */
    private record CoreEvent(JsonNode involvedObject, String message, JsonNode firstTimestamp,
                             JsonNode lastTimestamp, long count, JsonNode source, JsonNode series) {

        static CoreEvent of(ObjectNode event) {
            if (present(event, "regarding") || text(event, "apiVersion").startsWith("events.k8s.io/")) {
                return new CoreEvent(at(event, "regarding"), text(event, "note"), at(event, "deprecatedFirstTimestamp"),
                        at(event, "deprecatedLastTimestamp"), integer(event, "deprecatedCount"),
                        at(event, "deprecatedSource"), at(event, "series"));
            }
            return new CoreEvent(at(event, "involvedObject"), text(event, "message"), at(event, "firstTimestamp"),
                    at(event, "lastTimestamp"), integer(event, "count"), at(event, "source"), at(event, "series"));
        }
    }

    private static List<Object> cells(ObjectNode object, Instant now) {
        CoreEvent event = CoreEvent.of(object);
        String firstSeen = instant(event.firstTimestamp()).isPresent() ? since(event.firstTimestamp(), now)
                : since(at(object, "eventTime"), now);
        String lastSeen = instant(event.lastTimestamp()).isPresent() ? since(event.lastTimestamp(), now) : firstSeen;
        long count = event.count();
        if (!event.series().isMissingNode()) {
            lastSeen = since(at(event.series(), "lastObservedTime"), now);
            count = integer(event.series(), "count");
        } else if (count == 0) {
            count = 1; // a singleton event of the new API has no count
        }
        String kind = text(event.involvedObject(), "kind").toLowerCase(Locale.ROOT);
        String involvedName = text(event.involvedObject(), "name");
        String target = involvedName.isEmpty() ? kind : kind + "/" + involvedName;
        return row(lastSeen, text(object, "type"), text(object, "reason"), target,
                text(event.involvedObject(), "fieldPath"), source(object, event.source()),
                event.message().strip(), firstSeen, count, name(object));
    }

    /** {@code component, host}, falling back to the reporting controller and instance. */
    private static String source(ObjectNode event, JsonNode source) {
        String component = text(source, "component").isEmpty() ? text(event, "reportingController")
                : text(source, "component");
        String host = text(source, "host").isEmpty() ? text(event, "reportingInstance") : text(source, "host");
        return host.isEmpty() ? component : component + ", " + host;
    }
}
