package dev.konductor.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

    @Test
    void aPrefixRangeEndsAtThePrefixWithItsLastByteIncremented() {
        KeyRange range = KeyRange.of("/registry/pods/", null);

        assertThat(text(range.start())).isEqualTo("/registry/pods/");
        assertThat(text(range.end())).isEqualTo("/registry/pods0");
        assertThat(range.contains("/registry/pods/ns/a")).isTrue();
        assertThat(range.contains("/registry/pods")).isFalse();
        assertThat(range.contains("/registry/podsx/a")).isFalse();
    }

    @Test
    void trailingFfBytesAreDroppedBeforeIncrementing() {
        assertThat(KeyRange.prefixEnd(new byte[] {'a', (byte) 0xFF, (byte) 0xFF})).containsExactly('b');
        assertThat(KeyRange.prefixEnd(new byte[] {(byte) 0xFF})).isEmpty();
    }

    @Test
    void theEmptyPrefixCoversEveryKey() {
        KeyRange all = KeyRange.of("", null);

        assertThat(all.bounded()).isFalse();
        assertThat(all.contains("/anything")).isTrue();
        assertThat(all.contains("\uD83D\uDE00")).isTrue();
    }

    @Test
    void aStartKeyInsideThePrefixMovesTheStart() {
        assertThat(text(KeyRange.of("/p/", "/p/m").start())).isEqualTo("/p/m");
        assertThat(text(KeyRange.of("/p/", "/a").start())).isEqualTo("/p/");
        assertThat(KeyRange.of("/p/", "/p/m").contains("/p/a")).isFalse();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
