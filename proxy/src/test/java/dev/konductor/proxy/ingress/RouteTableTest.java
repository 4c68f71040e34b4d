package dev.konductor.proxy.ingress;

import static dev.konductor.proxy.ingress.IngressObjects.backend;
import static dev.konductor.proxy.ingress.IngressObjects.ingress;
import static dev.konductor.proxy.ingress.IngressObjects.path;
import static dev.konductor.proxy.ingress.IngressObjects.rule;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host and path matching as the Ingress specification writes it, on a table of service names. */
class RouteTableTest {

    private static RouteTable<String> table(Ingress... ingresses) {
        return RouteTable.build(List.of(ingresses), (namespace, backend) -> backendName(backend));
    }

    private static String backendName(IngressBackend backend) {
        return backend.getService().getName();
    }

    private static String route(RouteTable<String> table, String host, String path) {
        return table.route(host, path).orElse("404");
    }

    /** The examples table of the Ingress documentation, one rule at a time. */
    @ParameterizedTest(name = "{0} {1} for {2}: {3}")
    @CsvSource({
            "Prefix, /, /anything, true",
            "Exact, /foo, /foo, true",
            "Exact, /foo, /bar, false",
            "Exact, /foo, /foo/, false",
            "Exact, /foo/, /foo, false",
            "Prefix, /foo, /foo, true",
            "Prefix, /foo, /foo/, true",
            "Prefix, /foo/, /foo, true",
            "Prefix, /foo/, /foo/, true",
            "Prefix, /aaa/bb, /aaa/bbb, false",
            "Prefix, /aaa/bbb, /aaa/bbb, true",
            "Prefix, /aaa/bbb/, /aaa/bbb, true",
            "Prefix, /aaa/bbb, /aaa/bbb/, true",
            "Prefix, /aaa/bbb, /aaa/bbb/ccc, true",
            "Prefix, /aaa/bbb, /aaa/bbbxyz, false",
            "ImplementationSpecific, /aaa, /aaa/ccc, true",
            "ImplementationSpecific, /aaa, /aaaccc, false"})
    void pathTypesMatchAsSpecified(String pathType, String rulePath, String requestPath, boolean matches) {
        RouteTable<String> table = table(ingress("ns", "ing", rule("example.com", path(pathType, rulePath, backend("svc", 80)))));
        assertThat(route(table, "example.com", requestPath)).isEqualTo(matches ? "svc" : "404");
    }

    @Test
    void theLongestPathWinsAndExactBeatsPrefixOfTheSameLength() {
        RouteTable<String> table = table(ingress("ns", "ing", rule("example.com",
                path("Prefix", "/", backend("root", 80)),
                path("Prefix", "/aaa", backend("aaa", 80)),
                path("Prefix", "/aaa/bbb", backend("aaa-bbb", 80)),
                path("Exact", "/aaa/bbb", backend("exact", 80)))));
        assertThat(route(table, "example.com", "/")).isEqualTo("root");
        assertThat(route(table, "example.com", "/aaa/x")).isEqualTo("aaa");
        assertThat(route(table, "example.com", "/aaa/bbb")).isEqualTo("exact");
        assertThat(route(table, "example.com", "/aaa/bbb/c")).isEqualTo("aaa-bbb");
        assertThat(route(table, "example.com", "/aaab")).isEqualTo("root");
    }

    @Test
    void exactHostsBeatWildcardsWhichCoverOneLabelOnly() {
        RouteTable<String> table = table(ingress("ns", "ing",
                rule("*.example.com", path("Prefix", "/", backend("wildcard", 80))),
                rule("www.example.com", path("Prefix", "/", backend("www", 80))),
                rule("other.test", path("Prefix", "/", backend("other", 80)))));
        assertThat(route(table, "www.example.com", "/")).isEqualTo("www");
        assertThat(route(table, "api.example.com", "/")).isEqualTo("wildcard");
        assertThat(route(table, "API.Example.COM:8080", "/")).as("case and port ignored").isEqualTo("wildcard");
        assertThat(route(table, "a.b.example.com", "/")).isEqualTo("404");
        assertThat(route(table, "example.com", "/")).isEqualTo("404");
        assertThat(route(table, "other.test.", "/")).as("a trailing dot ignored").isEqualTo("other");
        assertThat(route(table, null, "/")).isEqualTo("404");
    }

    @Test
    void rulesWithoutHostMatchEveryHostAfterTheHostsOwnRules() {
        RouteTable<String> table = table(ingress("ns", "ing",
                rule(null, path("Prefix", "/shared", backend("any-host", 80))),
                rule("a.test", path("Prefix", "/a", backend("a", 80)))));
        assertThat(route(table, "a.test", "/a")).isEqualTo("a");
        assertThat(route(table, "a.test", "/shared/x")).isEqualTo("any-host");
        assertThat(route(table, "10.0.0.1", "/shared")).isEqualTo("any-host");
        assertThat(route(table, "a.test", "/elsewhere")).isEqualTo("404");
    }

    @Test
    void defaultBackendsTakeWhatNoRuleMatches() {
        Ingress older = ingress("ns", "older", null, backend("older-default", 80),
                rule("a.test", path("Exact", "/a", backend("a", 80))));
        older.getMetadata().setCreationTimestamp("2024-01-01T00:00:00Z");
        Ingress newer = ingress("ns", "newer", null, backend("newer-default", 80),
                rule("b.test", path("Exact", "/b", backend("b", 80))));
        newer.getMetadata().setCreationTimestamp("2024-02-01T00:00:00Z");
        RouteTable<String> table = table(newer, older);
        assertThat(route(table, "b.test", "/other")).as("the host's own Ingress's default").isEqualTo("newer-default");
        assertThat(route(table, "a.test", "/other")).isEqualTo("older-default");
        assertThat(route(table, "unknown.test", "/")).as("else the oldest default").isEqualTo("older-default");
    }

    @Test
    void onIdenticalRulesTheOlderIngressWins() {
        Ingress older = ingress("ns", "older", rule("a.test", path("Prefix", "/", backend("first", 80))));
        older.getMetadata().setCreationTimestamp("2024-01-01T00:00:00Z");
        Ingress newer = ingress("ns", "newer", rule("a.test", path("Prefix", "/", backend("second", 80))));
        newer.getMetadata().setCreationTimestamp("2024-03-01T00:00:00Z");
        assertThat(route(table(newer, older), "a.test", "/")).isEqualTo("first");
    }

    @Test
    void anEmptyTableRoutesNothing() {
        assertThat(RouteTable.<String>empty().route("a.test", "/")).isEmpty();
        assertThat(route(table(ingress("ns", "empty")), "a.test", "/")).isEqualTo("404");
    }

    @ParameterizedTest
    @CsvSource({"example.com, example.com", "Example.COM:443, example.com", "[::1]:8080, ::1", "10.0.0.1:80, 10.0.0.1",
            "'', ''"})
    void hostHeadersAreReducedToTheirHost(String header, String host) {
        assertThat(RouteTable.hostName(header)).isEqualTo(host);
    }
}
