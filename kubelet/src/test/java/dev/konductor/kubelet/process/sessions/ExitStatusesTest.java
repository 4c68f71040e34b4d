package dev.konductor.kubelet.process.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitStatusesTest {

    @Test
    void theErrorStreamCarriesTheExitCodeAsKubectlReadsIt() {
        assertThat(text(ExitStatuses.of(0, List.of("true")))).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(text(ExitStatuses.of(3, List.of("sh", "-c", "exit 3")))).isEqualTo("{\"metadata\":{},\"status\":\"Failure\","
                + "\"message\":\"command terminated with non-zero exit code: error executing command [sh -c exit 3], exit code 3\","
                + "\"reason\":\"NonZeroExitCode\",\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
    }

    @Test
    void aCommandThatCannotStartIsAnInternalError() {
        assertThat(text(ExitStatuses.internalError("exec: \"nosuch\": executable file not found in $PATH")))
                .isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: exec: \\\"nosuch\\\":"
                        + " executable file not found in $PATH\",\"reason\":\"InternalError\",\"details\":{\"causes\":"
                        + "[{\"message\":\"exec: \\\"nosuch\\\": executable file not found in $PATH\"}]},\"code\":500}");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
