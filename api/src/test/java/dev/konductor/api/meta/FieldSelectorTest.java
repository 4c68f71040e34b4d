package dev.konductor.api.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    private static final Map<String, String> POD = Map.of("metadata.name", "web-1", "metadata.namespace", "default",
            "spec.nodeName", "node-a", "status.phase", "Running");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "metadata.name=web-1|true",
            "metadata.name==web-1|true",
            "metadata.name=web-2|false",
            "spec.nodeName!=node-b|true",
            "spec.nodeName!=node-a|false",
            "metadata.name=web-1,status.phase=Running|true",
            "metadata.name=web-1,status.phase!=Running|false",
            "spec.nodeName=|false",
            "spec.missing=|true"})
    void matches(String selector, boolean expected) {
        assertThat(FieldSelector.parse(selector).matches(POD::get)).isEqualTo(expected);
    }

    @Test
    void escapedCommasAndEqualsBelongToTheValue() {
        FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c");
        assertThat(s.matches(Map.of("metadata.name", "a,b=c")::get)).isTrue();
        assertThat(s.toString()).isEqualTo("metadata.name=a\\,b\\=c");
    }

    @Test
    void rejectsTermWithoutOperator() {
        assertThatThrownBy(() -> FieldSelector.parse("metadata.name=x,spec.nodeName"))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("invalid selector: 'metadata.name=x,spec.nodeName'; can't understand 'spec.nodeName'");
    }

    @Test
    void rejectsBadEscapes() {
        assertThatThrownBy(() -> FieldSelector.parse("a=b\\x")).hasMessage("invalid field selector: invalid escape sequence: \\x");
        assertThatThrownBy(() -> FieldSelector.parse("a=b=c")).hasMessage("invalid field selector: unescaped character in value: 61");
    }

    @Test
    void exposesExactMatchForIndexes() {
        assertThat(FieldSelector.parse("spec.nodeName=n1,metadata.name!=x").requiresExactMatch("spec.nodeName")).contains("n1");
        assertThat(FieldSelector.parse("metadata.name!=x").requiresExactMatch("metadata.name")).isEmpty();
    }
}
