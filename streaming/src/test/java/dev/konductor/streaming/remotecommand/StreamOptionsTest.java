package dev.konductor.streaming.remotecommand;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamOptionsTest {

    @Test
    void aTerminalNeverCarriesStderr() {
        StreamOptions options = new StreamOptions(true, true, true, true);
        assertThat(options.stderr()).isFalse();
        assertThat(options.streamTypes()).containsExactly("error", "stdin", "stdout", "resize");
    }

    @Test
    void withoutAnyStandardStreamThereIsNothingToCarry() {
        assertThat(new StreamOptions(false, false, false, true).any()).isFalse();
        assertThat(new StreamOptions(false, false, true, false).any()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "True", "TRUE", "t"})
    void trueAsGoAndTheKubeletSpellIt(String value) {
        assertThat(StreamOptions.flag(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "false", "yes", ""})
    void anythingElseIsFalse(String value) {
        assertThat(StreamOptions.flag(value)).isFalse();
    }
}
