package dev.konductor.kubelet.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.streaming.remotecommand.StreamOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamRequestTest {

    @Test
    void execInUpstreamsShapeWithTheApiServersOneAndZeroFlags() throws Exception {
        StreamRequest request = StreamRequest.parse("/exec/default/web/app", Map.of(
                "command", List.of("sh", "-c", "exit 3"), "input", List.of("1"), "output", List.of("1"),
                "error", List.of("1")));

        assertThat(request).isEqualTo(new StreamRequest.Exec("default", "web", Optional.empty(), "app",
                List.of("sh", "-c", "exit 3"), new StreamOptions(true, true, true, false)));
    }

    @Test
    void aPinnedUidAndAnAttachWithATerminal() throws Exception {
        StreamRequest request = StreamRequest.parse("/attach/ns/web/0b7e-uid/app", Map.of(
                "input", List.of("true"), "output", List.of("true"), "tty", List.of("true")));

        assertThat(request).isEqualTo(new StreamRequest.Attach("ns", "web", Optional.of("0b7e-uid"), "app",
                new StreamOptions(true, true, false, true)));
    }

    @Test
    void portForwardPortsComeOnlyFromWebSocketClientsAndMayBeCommaSeparated() throws Exception {
        assertThat(StreamRequest.parse("/portForward/default/web", Map.of()))
                .isEqualTo(new StreamRequest.PortForward("default", "web", Optional.empty(), List.of()));
        assertThat(((StreamRequest.PortForward) StreamRequest.parse("/portForward/default/web",
                Map.of("port", List.of("80,8080", "9090")))).ports()).containsExactly(80, 8080, 9090);
    }

    @Test
    void refusesWhatUpstreamRefuses() {
        assertThatThrownBy(() -> StreamRequest.parse("/exec/default/web/app", Map.of("command", List.of("ls"))))
                .hasMessage("you must specify at least 1 of stdin, stdout, stderr");
        assertThatThrownBy(() -> StreamRequest.parse("/exec/default/web/app", Map.of("output", List.of("1"))))
                .hasMessage("you must specify at least one command for the container");
        assertThatThrownBy(() -> StreamRequest.parse("/portForward/default/web", Map.of("port", List.of("http"))))
                .hasMessage("unable to parse \"http\" as a port");
        assertThatThrownBy(() -> StreamRequest.parse("/portForward/default/web", Map.of("port", List.of("0"))))
                .hasMessageContaining("must be > 0");
        assertThatThrownBy(() -> StreamRequest.parse("/exec/default/web", Map.of()))
                .isInstanceOf(StreamRequest.BadRequest.class);
    }
}
