package dev.konductor.streaming.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.streaming.spdy.SpdyFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class V5BridgeTest {

    private static final StreamOptions PIPES = new StreamOptions(true, true, true, false);
    private static final StreamOptions TERMINAL = new StreamOptions(true, true, true, true);

    @Test
    void opensOneStreamPerChannelErrorFirstAsClientGoDoes() {
        assertThat(new V5Bridge(PIPES).open()).containsExactly(
                syn(1, "error"), syn(3, "stdin"), syn(5, "stdout"), syn(7, "stderr"));
        assertThat(new V5Bridge(TERMINAL).open()).as("a terminal has no stderr, and a resize stream")
                .containsExactly(syn(1, "error"), syn(3, "stdin"), syn(5, "stdout"), syn(7, "resize"));
        assertThat(new V5Bridge(new StreamOptions(false, true, false, false)).open())
                .containsExactly(syn(1, "error"), syn(3, "stdout"));
    }

    @Test
    void stdinAndResizeGoToTheirStreamsAndTheCloseSignalHalfClosesStdin() {
        V5Bridge bridge = new V5Bridge(TERMINAL);
        bridge.open();

        assertThat(data(bridge.fromClient(message(0, "ls\n")))).containsExactly("3:ls\n:false");
        assertThat(data(bridge.fromClient(message(4, "{\"Width\":80,\"Height\":24}"))))
                .containsExactly("7:{\"Width\":80,\"Height\":24}:false");
        assertThat(data(bridge.fromClient(new byte[] {(byte) 255, 0}))).containsExactly("3::true");

        assertThat(bridge.fromClient(new byte[] {(byte) 255, 0})).as("closed once").isEmpty();
        assertThat(bridge.fromClient(message(0, "late"))).as("nothing after EOF").isEmpty();
        assertThat(bridge.fromClient(message(1, "x"))).as("stdout is not the client's to write").isEmpty();
        assertThat(bridge.fromClient(new byte[] {0})).as("empty data").isEmpty();
        assertThat(bridge.fromClient(message(9, "x"))).as("unknown channel").isEmpty();
    }

    @Test
    void outputBecomesChannelMessagesAndTheErrorStreamIsKeptForTheEnd() {
        V5Bridge bridge = new V5Bridge(PIPES);
        bridge.open();

        V5Bridge.Reaction out = bridge.fromServer(new SpdyFrame.Data(5, bytes("hello\n"), false));
        V5Bridge.Reaction err = bridge.fromServer(new SpdyFrame.Data(7, bytes("oops\n"), false));
        assertThat(out.toClient()).containsExactly(message(1, "hello\n"));
        assertThat(err.toClient()).containsExactly(message(2, "oops\n"));

        String status = "{\"metadata\":{},\"status\":\"Failure\",\"reason\":\"NonZeroExitCode\","
                + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}";
        assertThat(bridge.fromServer(new SpdyFrame.Data(1, bytes(status), false)).toClient()).isEmpty();
        assertThat(bridge.finished()).isFalse();
        bridge.fromServer(new SpdyFrame.Data(5, new byte[0], true));
        bridge.fromServer(new SpdyFrame.RstStream(7, 5));
        assertThat(bridge.finished()).as("the error stream is still open").isFalse();
        bridge.fromServer(new SpdyFrame.RstStream(1, 5));

        assertThat(bridge.finished()).isTrue();
        assertThat(new String(bridge.errorStream(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(V5Bridge.errorMessage(bridge.errorStream())).isEqualTo(message(3, status));
    }

    @Test
    void answersPingsRefusesPushedStreamsAndStopsAtGoAway() {
        V5Bridge bridge = new V5Bridge(PIPES);
        bridge.open();
        assertThat(bridge.fromServer(new SpdyFrame.Ping(2)).toServer()).containsExactly(new SpdyFrame.Ping(2));
        assertThat(bridge.fromServer(new SpdyFrame.SynStream(2, Map.of(), false)).toServer())
                .containsExactly(new SpdyFrame.RstStream(2, V5Bridge.REFUSED_STREAM));
        assertThat(bridge.fromServer(new SpdyFrame.SynReply(1, false))).isEqualTo(V5Bridge.Reaction.NONE);
        assertThat(bridge.finished()).isFalse();
        bridge.fromServer(new SpdyFrame.GoAway(7));
        assertThat(bridge.finished()).isTrue();
        assertThat(bridge.errorStream()).as("nothing was said on the error stream").isEmpty();
    }

    private static SpdyFrame syn(int id, String type) {
        return new SpdyFrame.SynStream(id, Map.of("streamtype", type), false);
    }

    private static byte[] message(int channel, String text) {
        byte[] data = bytes(text);
        byte[] message = new byte[data.length + 1];
        message[0] = (byte) channel;
        System.arraycopy(data, 0, message, 1, data.length);
        return message;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> data(List<SpdyFrame> frames) {
        return frames.stream().map(f -> (SpdyFrame.Data) f)
                .map(d -> d.streamId() + ":" + new String(d.data(), StandardCharsets.UTF_8) + ":" + d.last()).toList();
    }
}
