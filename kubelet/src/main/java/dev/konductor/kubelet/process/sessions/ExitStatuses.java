package dev.konductor.kubelet.process.sessions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The Status a {@code v4.channel.k8s.io} session ends with on its error stream, as upstream's
 * kubelet writes it: Success, a non-zero exit code (kubectl exits with it: "command terminated
 * with exit code 3"), or an internal error. Pure.
 */
final class ExitStatuses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ExitStatuses() {
    }

    static byte[] of(int exitCode, List<String> command) {
        ObjectNode status = base();
        if (exitCode == 0) {
            status.put("status", "Success");
            return bytes(status);
        }
        status.put("status", "Failure");
        // containerd's words for the exit, behind the kubelet's prefix
        status.put("message", "command terminated with non-zero exit code: error executing command "
                + "[" + String.join(" ", command) + "], exit code " + exitCode);
        status.put("reason", "NonZeroExitCode");
        status.putObject("details").putArray("causes").addObject().put("reason", "ExitCode")
                .put("message", Integer.toString(exitCode));
        return bytes(status);
    }

    static byte[] internalError(String message) {
        ObjectNode status = base();
        status.put("status", "Failure");
        status.put("message", "Internal error occurred: " + message);
        status.put("reason", "InternalError");
        status.putObject("details").putArray("causes").addObject().put("message", message);
        status.put("code", 500);
        return bytes(status);
    }

    private static ObjectNode base() {
        ObjectNode status = JSON.createObjectNode();
        status.putObject("metadata");
        return status;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
