package dev.konductor.streaming.spdy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpdyCodecTest {

    @Test
    void framesSurviveTheWireEvenFedOneByteAtATime() throws IOException {
        List<SpdyFrame> sent = List.of(
                new SpdyFrame.SynStream(1, Map.of("streamtype", "error"), false),
                new SpdyFrame.SynStream(3, Map.of("streamtype", "stdin"), false),
                // the second header block leans on the compression context of the first
                new SpdyFrame.SynStream(5, Map.of("streamtype", "stdout", "port", "80", "requestid", "0"), false),
                new SpdyFrame.Data(3, "hello".getBytes(StandardCharsets.UTF_8), false),
                new SpdyFrame.Data(3, new byte[0], true),
                new SpdyFrame.SynReply(5, Map.of("streamtype", "stdout"), false),
                new SpdyFrame.RstStream(5, 5),
                new SpdyFrame.Ping(2),
                new SpdyFrame.GoAway(5));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (SpdyEncoder encoder = new SpdyEncoder()) {
            sent.forEach(frame -> wire.writeBytes(encoder.encode(frame)));
        }
        List<SpdyFrame> received = new ArrayList<>();
        try (SpdyDecoder decoder = new SpdyDecoder()) {
            byte[] bytes = wire.toByteArray();
            for (int i = 0; i < bytes.length; i++) {
                received.addAll(decoder.decode(bytes, i, 1));
            }
        }

        assertThat(received).hasSize(sent.size());
        assertThat(received.get(0)).isEqualTo(sent.get(0));
        assertThat(received.get(2)).isEqualTo(sent.get(2));
        SpdyFrame.Data data = (SpdyFrame.Data) received.get(3);
        assertThat(new String(data.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(data.last()).isFalse();
        SpdyFrame.Data eof = (SpdyFrame.Data) received.get(4);
        assertThat(eof.data()).isEmpty();
        assertThat(eof.last()).as("stdin half-closed").isTrue();
        assertThat(received.subList(5, 9)).containsExactly(new SpdyFrame.SynReply(5, Map.of("streamtype", "stdout"), false),
                new SpdyFrame.RstStream(5, 5), new SpdyFrame.Ping(2), new SpdyFrame.GoAway(5));
    }

    @Test
    void aPeerSpeakingAnotherSpdyVersionIsAnError() {
        byte[] spdy2 = {(byte) 0x80, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        try (SpdyDecoder decoder = new SpdyDecoder()) {
            assertThatThrownBy(() -> decoder.decode(spdy2, 0, spdy2.length)).isInstanceOf(IOException.class);
        }
    }
}
