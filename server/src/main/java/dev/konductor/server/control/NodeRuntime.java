package dev.konductor.server.control;

import java.util.Locale;

/** How the local node agent runs pods (see ARCHITECTURE.md, "Node agent and runtimes"). */
public enum NodeRuntime {
    /** Containers through containerd's CRI socket. */
    CRI,
    /** Containers as plain host processes, for machines without root or containerd. */
    PROCESS,
    /** Nothing runs; pods go Running on a timer. For scale tests. */
    SIM,
    /** No local node agent: a control plane only. */
    NONE;

    /** Whether this runtime exists yet; the others are accepted so scripts need not change later. */
    public boolean implemented() {
        return this == NONE || this == SIM || this == CRI;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
