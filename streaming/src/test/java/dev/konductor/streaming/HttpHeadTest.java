package dev.konductor.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpHeadTest {

    @Test
    void readsTheHeadAndNotOneByteOfWhatFollows() throws IOException {
        byte[] wire = ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n\u0080\u0003").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayInputStream in = new ByteArrayInputStream(wire);

        HttpHead head = HttpHead.read(in);

        assertThat(head.status()).isEqualTo(101);
        assertThat(head.reason()).isEqualTo("Switching Protocols");
        assertThat(head.value("x-stream-protocol-version")).isEqualTo("v4.channel.k8s.io");
        assertThat(in.readAllBytes()).as("the SPDY frame that follows").containsExactly(0x80, 0x03);
    }

    @Test
    void keepsRepeatedHeaderLinesApartAsClientGoSendsThem() throws IOException {
        HttpHead request = HttpHead.request("POST", "/exec/default/web/web?command=ls", List.of(
                new HttpHead.Header("X-Stream-Protocol-Version", "v4.channel.k8s.io"),
                new HttpHead.Header("X-Stream-Protocol-Version", "v3.channel.k8s.io")));

        HttpHead again = HttpHead.read(new ByteArrayInputStream(request.encode()));

        assertThat(again).isEqualTo(request);
        assertThat(again.values("X-Stream-Protocol-Version")).containsExactly("v4.channel.k8s.io", "v3.channel.k8s.io");
        assertThat(again.status()).as("a request has no status").isEqualTo(-1);
    }

    @Test
    void toleratesBareLineFeedsAsGoDoes() throws IOException {
        HttpHead head = HttpHead.read(new ByteArrayInputStream("HTTP/1.1 404 Not Found\nContent-Length: 3\n\nabc"
                .getBytes(StandardCharsets.US_ASCII)));
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.value("Content-Length")).isEqualTo("3");
    }

    @Test
    void aConnectionThatEndsEarlyOrAGarbledHeadIsAnError() {
        assertThatThrownBy(() -> HttpHead.read(new ByteArrayInputStream("HTTP/1.1 101 Sw".getBytes(StandardCharsets.US_ASCII))))
                .isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> HttpHead.read(new ByteArrayInputStream("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)))).isInstanceOf(IOException.class).hasMessageContaining("no colon");
    }
}
