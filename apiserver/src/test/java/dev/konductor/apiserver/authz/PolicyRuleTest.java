package dev.konductor.apiserver.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.konductor.apiserver.authn.UserInfo;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a rule matches requests, as upstream's RuleAllows. */
class PolicyRuleTest {

    private static final UserInfo JANE = UserInfo.of("jane", List.of());

    @ParameterizedTest(name = "rule {0} in group \"{1}\" on {2}/{3}/{4}: {5}")
    @CsvSource({
            // rule resource | rule group | request group | resource | subresource | allowed
            "pods, '', '', pods, '', true",
            "pods, '', '', pods, log, false",
            "pods/log, '', '', pods, log, true",
            "pods/log, '', '', pods, '', false",
            "*/scale, apps, apps, deployments, scale, true",
            "*/scale, apps, apps, deployments, '', false",
            "*, apps, apps, deployments, status, true",
            "pods, '', apps, pods, '', false",
            "deployments, *, apps, deployments, '', true",
    })
    void resourcesAndSubresourcesMatchAsUpstream(String ruleResource, String ruleGroup, String group, String resource,
                                                 String sub, boolean allowed) {
        PolicyRule rule = PolicyRule.verbs("get").groups(ruleGroup).resources(ruleResource).rule();
        assertThat(rule.allows(Attributes.resource(JANE, "get", group, resource, sub, "default", ""))).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "names {0}, request {1}: {2}")
    @CsvSource({
            "settings, settings, true",
            "settings, other, false",
            "settings, '', false",
            "'', anything, true",
    })
    void resourceNamesGrantOnlyRequestsThatNameOne(String names, String requested, boolean allowed) {
        PolicyRule.Builder builder = PolicyRule.verbs("get", "list").groups("").resources("configmaps");
        PolicyRule rule = names.isEmpty() ? builder.rule() : builder.names(names).rule();
        String verb = requested.isEmpty() ? "list" : "get";
        assertThat(rule.allows(Attributes.resource(JANE, verb, "", "configmaps", "", "default", requested)))
                .isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} for {1}: {2}")
    @CsvSource({
            "/healthz, /healthz, true",
            "/healthz, /healthz/etcd, false",
            "/healthz/*, /healthz/etcd, true",
            "/apis/*, /apis/apps/v1, true",
            "/apis/*, /api, false",
            "*, /anything, true",
    })
    void nonResourceUrlsMatchExactlyOrByStarPrefix(String url, String path, boolean allowed) {
        PolicyRule rule = PolicyRule.verbs("get").urls(url).rule();
        assertThat(rule.allows(Attributes.nonResource(JANE, "get", path))).isEqualTo(allowed);
        assertThat(rule.allows(Attributes.nonResource(JANE, "post", path))).isFalse();
    }

    @ParameterizedTest(name = "verbs {0} allow {1}: {2}")
    @CsvSource({"get, get, true", "get, watch, false", "*, impersonate, true", "list, list, true"})
    void verbsMatchExactlyOrByStar(String verb, String requested, boolean allowed) {
        PolicyRule rule = PolicyRule.verbs(verb).groups("*").resources("*").rule();
        assertThat(rule.allows(Attributes.resource(JANE, requested, "x", "y", "", "", ""))).isEqualTo(allowed);
    }

    @Test
    void compactStringIsUpstreamsFormat() {
        assertThat(PolicyRule.verbs("get", "list").groups("").resources("pods").names("a").rule().compactString())
                .isEqualTo("{APIGroups:[\"\"], Resources:[\"pods\"], ResourceNames:[\"a\"], Verbs:[\"get\" \"list\"]}");
        assertThat(PolicyRule.verbs("get").urls("/healthz").rule().compactString())
                .isEqualTo("{NonResourceURLs:[\"/healthz\"], Verbs:[\"get\"]}");
    }

    @Test
    void theJsonFormRoundTrips() {
        PolicyRule rule = PolicyRule.verbs("get").groups("apps").resources("deployments").names("web").rule();
        assertThat(PolicyRule.fromJson(rule.toJson())).isEqualTo(rule);
        assertThat(rule.toJson().has("nonResourceURLs")).isFalse();
    }
}
