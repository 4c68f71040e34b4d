package dev.konductor.kubelet.logs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line of a container log in CRI's format, as containerd writes it:
 * {@code 2016-10-06T00:17:09.669794202Z stdout F message} ({@code F} a full line, {@code P} a
 * partial one to be joined with the next).
 */
record CriLogLine(Instant time, String timestamp, String stream, boolean partial, String content) {

    static Optional<CriLogLine> parse(String line) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        int third = second < 0 ? -1 : line.indexOf(' ', second + 1);
        if (first < 0 || second < 0) {
            return Optional.empty();
        }
        String timestamp = line.substring(0, first);
        Instant time;
        try {
            time = Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String stream = line.substring(first + 1, second);
        String tag = third < 0 ? line.substring(second + 1) : line.substring(second + 1, third);
        String content = third < 0 ? "" : line.substring(third + 1);
        return Optional.of(new CriLogLine(time, timestamp, stream, tag.startsWith("P"), content));
    }

    /** The bytes {@code kubectl logs} shows for this line. */
    String render(boolean withTimestamp) {
        String text = partial ? content : content + "\n";
        return withTimestamp ? timestamp + " " + text : text;
    }
}
