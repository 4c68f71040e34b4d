package dev.konductor.kubelet.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpansionTest {

    private static final Map<String, String> VARS = Map.of("VAR_A", "A", "VAR_B", "B", "VAR_EMPTY", "", "VAR_REF", "$(VAR_A)");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "$(VAR_A)|A",
            "___$(VAR_B)___|___B___",
            "$(VAR_A)-$(VAR_B)|A-B",
            "$(VAR_EMPTY)|''",
            "$(VAR_REF)|$(VAR_A)",           // values are not expanded again
            "$(UNKNOWN)|$(UNKNOWN)",         // unknown references stay as written
            "$$(VAR_A)|$(VAR_A)",            // $$ escapes
            "$$$(VAR_A)|$A",
            "$$$$(VAR_A)|$$(VAR_A)",
            "$(VAR_A|$(VAR_A",               // unterminated
            "$(VAR_A$(VAR_B)|$(VAR_A$(VAR_B)",
            "$VAR_A|$VAR_A",                 // no parenthesis: not a reference
            "$|$",
            "x$|x$",
            "$()|$()",
            "plain text|plain text",
    })
    void expandsAsTheKubeletDoes(String input, String expected) {
        assertThat(Expansion.expand(input, Expansion.mappingFor(VARS))).isEqualTo(expected);
    }
}
