package dev.konductor.api.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

    private static final Map<String, String> WEB = Map.of("app", "web", "tier", "front", "version", "3");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "''|true",
            "app=web|true",
            "app==web|true",
            "app=db|false",
            "app!=db|true",
            "app!=web|false",
            "missing!=x|true",
            "tier in (front,back)|true",
            "tier in (back)|false",
            "tier notin (back)|true",
            "missing notin (back)|true",
            "app|true",
            "missing|false",
            "!missing|true",
            "!app|false",
            "app=web,tier in (front),!missing|true",
            "app=web,tier=back|false",
            "version>2|true",
            "version<3|false",
            " app = web , tier notin ( a , b ) |true"})
    void matchesLikeUpstream(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(WEB)).isEqualTo(expected);
    }

    @Test
    void canonicalStringSortsRequirementsAndValues() {
        assertThat(LabelSelector.parse("z in (b,a),a=1,!x,y").toString()).isEqualTo("a=1,!x,y,z in (a,b)");
    }

    @Test
    void inAndNotinAreValuesInsideParentheses() {
        assertThat(LabelSelector.parse("k in (in,notin)").matches(Map.of("k", "notin"))).isTrue();
    }

    @Test
    void emptyValueSetMemberMatchesEmptyValue() {
        assertThat(LabelSelector.parse("k in (a,,b)").matches(Map.of("k", ""))).isTrue();
        assertThat(LabelSelector.parse("k=").matches(Map.of("k", ""))).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "app=web,|found '', expected: identifier after ','",
            "app=web)|found ')', expected: ',' or 'end of string'",
            "x in a|unable to parse requirement: found 'a' expected: '('",
            "x notin (a b)|unable to parse requirement: found 'b', expected: ',' or ')'",
            "x ~ y|unable to parse requirement: found '~', expected: in, notin, =, ==, !=, gt, lt",
            "a=b=c|found '=', expected: ',' or 'end of string'",
            "x>a|unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"})
    void rejectsWithUpstreamMessages(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(SelectorParseException.class).hasMessage(message);
    }

    @Test
    void rejectsInvalidKeyWithFieldErrorText() {
        assertThatThrownBy(() -> LabelSelector.parse("-bad=x"))
                .hasMessageStartingWith("unable to parse requirement: <nil>: Invalid value: \"-bad\": name part must consist of"
                        + " alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }

    @Test
    void rejectsInvalidValue() {
        assertThatThrownBy(() -> LabelSelector.parse("app=-x"))
                .hasMessageStartingWith("unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be");
    }

    @Test
    void structuredSelectorCombinesLabelsAndExpressions() {
        var selector = LabelSelector.fromStructured(TestObjects.yaml("""
                matchLabels: {app: web}
                matchExpressions:
                - {key: tier, operator: In, values: [front, back]}
                - {key: canary, operator: DoesNotExist}
                - {key: version, operator: Exists}
                """));
        assertThat(selector.matches(WEB)).isTrue();
        assertThat(selector.matches(Map.of("app", "web", "tier", "front"))).isFalse();
        assertThat(selector.toString()).isEqualTo("app=web,!canary,tier in (back,front),version");
    }

    @Test
    void structuredEmptyMatchesEverythingAndMissingNothing() {
        assertThat(LabelSelector.fromStructured(TestObjects.yaml("{}")).matches(Map.of())).isTrue();
        assertThat(LabelSelector.fromStructured(null).matches(WEB)).isFalse();
    }

    @Test
    void structuredRejectsUnknownOperator() {
        assertThatThrownBy(() -> LabelSelector.fromStructured(TestObjects.yaml("matchExpressions: [{key: a, operator: Gt}]")))
                .hasMessage("\"Gt\" is not a valid label selector operator");
    }

    @Test
    void exactMatchIsExposedForIndexes() {
        assertThat(LabelSelector.parse("app=web,tier in (a,b)").requiresExactMatch("app")).contains("web");
        assertThat(LabelSelector.parse("app=web,tier in (a,b)").requiresExactMatch("tier")).isEmpty();
    }
}
