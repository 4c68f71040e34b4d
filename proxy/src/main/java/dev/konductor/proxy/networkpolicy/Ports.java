package dev.konductor.proxy.networkpolicy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The destination ports a rule allows. */
public sealed interface Ports {

    /** The rule lists no ports: any port of any protocol. */
    record Any() implements Ports {
    }

    /**
     * Only these (sorted, overlapping and adjacent ranges of a protocol joined). Empty when every
     * port the rule lists is a named port the destination does not have: the rule allows nothing.
     */
    record Only(List<PortRange> ranges) implements Ports {
        public Only {
            ranges = merged(ranges);
        }

        private static List<PortRange> merged(Collection<PortRange> ranges) {
            List<PortRange> sorted = new ArrayList<>(ranges);
            sorted.sort(null);
            List<PortRange> out = new ArrayList<>();
            for (PortRange next : sorted) {
                PortRange last = out.isEmpty() ? null : out.getLast();
                if (last != null && last.protocol() == next.protocol() && last.last() + 1 >= next.first()) {
                    out.set(out.size() - 1, new PortRange(last.protocol(), last.first(), Math.max(last.last(), next.last())));
                } else {
                    out.add(next);
                }
            }
            return List.copyOf(out);
        }
    }

    Ports ANY = new Any();

    static Ports only(Collection<PortRange> ranges) {
        return new Only(List.copyOf(ranges));
    }

    /** Whether no port at all is allowed. */
    default boolean none() {
        return this instanceof Only only && only.ranges().isEmpty();
    }
}
