package dev.konductor.streaming.remotecommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which standard streams an exec or attach session carries. With a terminal, stderr is merged
 * into stdout by the terminal itself, so it is never requested (as upstream, which drops it
 * rather than refusing), and a resize stream carries the terminal's size instead.
 */
public record StreamOptions(boolean stdin, boolean stdout, boolean stderr, boolean tty) {

    /** Go's strconv.ParseBool spellings of true (the API's parameters) and the kubelet's "1". */
    private static final Set<String> TRUE = Set.of("1", "t", "T", "true", "TRUE", "True");

    public StreamOptions {
        stderr = stderr && !tty;
    }

    /** Whether a query parameter's value means true. */
    public static boolean flag(String value) {
        return value != null && TRUE.contains(value);
    }

    public boolean any() {
        return stdin || stdout || stderr;
    }

    /**
     * The stream types a SPDY client opens for these options, in client-go's order (the error
     * stream first); the server waits for exactly these before it starts the command.
     */
    public List<String> streamTypes() {
        List<String> types = new ArrayList<>();
        types.add(StreamType.ERROR);
        if (stdin) {
            types.add(StreamType.STDIN);
        }
        if (stdout) {
            types.add(StreamType.STDOUT);
        }
        if (stderr) {
            types.add(StreamType.STDERR);
        }
        if (tty) {
            types.add(StreamType.RESIZE);
        }
        return types;
    }
}
