package dev.konductor.proxy.networkpolicy;

import java.util.List;

/** Whether one direction (ingress or egress) of a pod's traffic is restricted, and to what. */
public sealed interface Isolation {

    /** No policy selecting the pod covers this direction: all traffic is allowed. */
    record Open() implements Isolation {
    }

    /**
     * At least one policy selecting the pod covers this direction: only traffic matching one of
     * {@code allowed} (the union of all those policies' rules) passes; none means nothing does.
     */
    record Isolated(List<AllowRule> allowed) implements Isolation {
        public Isolated {
            allowed = List.copyOf(allowed);
        }
    }

    Isolation OPEN = new Open();
}
