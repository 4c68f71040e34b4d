package dev.konductor.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifierSyntaxTest {

    @Test
    void subdomainMessageIsUpstreams() {
        assertThat(IdentifierSyntax.dns1123Subdomain("Bad_Name")).containsExactly(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
                        + "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
                        + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
    }

    @Test
    void labelWithDotsSaysSo() {
        assertThat(IdentifierSyntax.dns1123Label("a.b")).containsExactly("must not contain dots");
        assertThat(IdentifierSyntax.dns1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    }

    @Test
    void qualifiedNames() {
        assertThat(IdentifierSyntax.qualifiedName("example.com/My_Name")).isEmpty();
        assertThat(IdentifierSyntax.qualifiedName("/x")).containsExactly("prefix part must be non-empty");
        assertThat(IdentifierSyntax.qualifiedName("a/b/c")).singleElement().asString().startsWith("a qualified name must");
    }

    @Test
    void portNamesAndIps() {
        assertThat(IdentifierSyntax.portName("http")).isEmpty();
        assertThat(IdentifierSyntax.portName("8080")).containsExactly("must contain at least one letter (a-z)");
        assertThat(IdentifierSyntax.isIp("10.0.0.1")).isTrue();
        assertThat(IdentifierSyntax.isIp("2001:db8::1")).isTrue();
        assertThat(IdentifierSyntax.isIp("010.0.0.1")).isFalse();
        assertThat(IdentifierSyntax.isIp("example.com")).isFalse();
    }
}
