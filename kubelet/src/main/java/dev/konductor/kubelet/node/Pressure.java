package dev.konductor.kubelet.node;

/**
 * The three pressure conditions of a node, each with upstream's reason, message and event for
 * both of its states.
 */
public enum Pressure {
    MEMORY("MemoryPressure",
            "KubeletHasInsufficientMemory", "kubelet has insufficient memory available", "NodeHasInsufficientMemory",
            "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "NodeHasSufficientMemory"),
    DISK("DiskPressure",
            "KubeletHasDiskPressure", "kubelet has disk pressure", "NodeHasDiskPressure",
            "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "NodeHasNoDiskPressure"),
    PID("PIDPressure",
            "KubeletHasInsufficientPID", "kubelet has insufficient PID available", "NodeHasInsufficientPID",
            "KubeletHasSufficientPID", "kubelet has sufficient PID available", "NodeHasSufficientPID");

    private final String conditionType;
    private final String reasonUnder;
    private final String messageUnder;
    private final String eventUnder;
    private final String reasonClear;
    private final String messageClear;
    private final String eventClear;

    Pressure(String conditionType, String reasonUnder, String messageUnder, String eventUnder,
             String reasonClear, String messageClear, String eventClear) {
        this.conditionType = conditionType;
        this.reasonUnder = reasonUnder;
        this.messageUnder = messageUnder;
        this.eventUnder = eventUnder;
        this.reasonClear = reasonClear;
        this.messageClear = messageClear;
        this.eventClear = eventClear;
    }

    public String conditionType() {
        return conditionType;
    }

    String reason(boolean under) {
        return under ? reasonUnder : reasonClear;
    }

    String message(boolean under) {
        return under ? messageUnder : messageClear;
    }

    /** The reason of the event the kubelet records on its node when the condition takes this state. */
    String event(boolean under) {
        return under ? eventUnder : eventClear;
    }
}
