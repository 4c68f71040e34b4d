package dev.konductor.kubelet.node;

import dev.konductor.kubelet.cri.v1.RuntimeCondition;
import dev.konductor.kubelet.cri.v1.StatusResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's readiness as far as the container runtime decides it, in upstream's words: a
 * runtime that does not answer is "container runtime is down"; one that answers reports its
 * RuntimeReady and NetworkReady conditions. Pure.
 */
public final class RuntimeReadiness {

    /** Upstream's message when the runtime's status cannot be had. */
    public static final String RUNTIME_DOWN = "container runtime is down";

    private RuntimeReadiness() {
    }

    public static Readiness of(StatusResponse status) {
        List<String> errors = new ArrayList<>();
        boolean runtimeReady = false;
        boolean networkReady = false;
        for (RuntimeCondition condition : status.getStatus().getConditionsList()) {
            switch (condition.getType()) {
                case "RuntimeReady" -> {
                    runtimeReady = condition.getStatus();
                    if (!runtimeReady) {
                        errors.add("container runtime not ready: " + describe(condition));
                    }
                }
                case "NetworkReady" -> {
                    networkReady = condition.getStatus();
                    if (!networkReady) {
                        errors.add("container runtime network not ready: " + describe(condition));
                    }
                }
                default -> {
                    // other conditions do not decide readiness
                }
            }
        }
        if (errors.isEmpty() && (!runtimeReady || !networkReady)) {
            errors.add("container runtime status check may not have completed yet");
        }
        return new Readiness(errors);
    }

    private static String describe(RuntimeCondition c) {
        return c.getType() + "=false reason:" + c.getReason() + " message:" + c.getMessage();
    }
}
