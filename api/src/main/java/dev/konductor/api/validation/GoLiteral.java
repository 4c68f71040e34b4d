package dev.konductor.api.validation;

import dev.konductor.api.meta.GoErrorText;
import java.util.List;
import java.util.Map;

/**
 * A value rendered in an error message the way upstream's Go code prints it
 * ({@code map[string]string{"app":"x"}}, {@code []string{"None"}}), for the messages clients
 * and scripts match on. {@link dev.konductor.api.status.FieldError#invalid} prints it verbatim.
 */
record GoLiteral(String text) {

    static GoLiteral stringMap(Map<String, String> map) {
        return new GoLiteral(GoErrorText.stringMap(map));
    }

    static GoLiteral strings(List<String> list) {
        return new GoLiteral(GoErrorText.goValue(list));
    }

    @Override
    public String toString() {
        return text;
    }
}
