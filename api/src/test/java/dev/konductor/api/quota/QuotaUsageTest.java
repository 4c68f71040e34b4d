package dev.konductor.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuotaUsageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @ParameterizedTest
    @CsvSource({"250m,250m,500m", "512Mi,512Mi,1Gi", "1,500m,1500m", "0,64Mi,64Mi", "1G,1G,2G", "100Mi,1,104857601",
            "1Ki,1Ki,2Ki", "0.5,0,500m", "2000,0,2k"})
    void sumsPrintCanonically(String a, String b, String sum) {
        assertThat(Amount.parse(a).plus(Amount.parse(b)).toString()).isEqualTo(sum);
    }

    @Test
    void aRunningPodCostsItsRequestsAndLimits() throws Exception {
        JsonNode pod = json("{'spec':{'containers':[{'name':'a','resources':{'requests':{'cpu':'100m','memory':'64Mi'},"
                + "'limits':{'cpu':'200m'}}},{'name':'b','resources':{'requests':{'cpu':'150m','memory':'64Mi'}}}],"
                + "'initContainers':[{'name':'i','resources':{'requests':{'cpu':'1'}}}]},'status':{'phase':'Running'}}");
        Map<String, Amount> usage = QuotaUsage.usage("", "pods", pod, Instant.now());
        assertThat(usage).containsEntry("pods", Amount.ONE).containsEntry("count/pods", Amount.ONE);
        assertThat(usage.get("requests.cpu").toString()).isEqualTo("1");
        assertThat(usage.get("requests.memory").toString()).isEqualTo("128Mi");
        assertThat(usage.get("limits.cpu").toString()).isEqualTo("200m");
        assertThat(usage).doesNotContainKey("limits.memory");
    }

    @Test
    void aFinishedPodOnlyCountsAsAnObject() throws Exception {
        JsonNode pod = json("{'spec':{'containers':[{'name':'a','resources':{'requests':{'cpu':'1'}}}]},"
                + "'status':{'phase':'Succeeded'}}");
        assertThat(QuotaUsage.usage("", "pods", pod, Instant.now())).containsOnlyKeys("count/pods");
    }

    @Test
    void containersMustStateWhatAQuotaConstrains() throws Exception {
        JsonNode pod = json("{'spec':{'containers':[{'name':'a','resources':{'requests':{'cpu':'1'}}},{'name':'b'}]}}");
        assertThat(QuotaUsage.missingRequired(List.of("pods", "requests.cpu", "limits.memory"), pod))
                .contains("must specify limits.memory for: a,b; requests.cpu for: b");
        assertThat(QuotaUsage.missingRequired(List.of("pods", "count/pods"), pod)).isEmpty();
    }

    @Test
    void servicesCountTheirNodePortsAndLoadBalancers() throws Exception {
        JsonNode svc = json("{'spec':{'type':'LoadBalancer','ports':[{'port':80},{'port':443}]}}");
        assertThat(QuotaUsage.usage("", "services", svc, Instant.now())).containsEntry("services", Amount.ONE)
                .containsEntry("services.loadbalancers", Amount.ONE).containsEntry("services.nodeports", Amount.of(2));
        assertThat(QuotaUsage.usage("apps", "deployments", svc, Instant.now())).containsOnlyKeys("count/deployments.apps");
    }

    @Test
    void scopesSelectPods() throws Exception {
        JsonNode bestEffort = json("{'spec':{'containers':[{'name':'a'}]}}");
        assertThat(QuotaUsage.inScope(json("{'scopes':['BestEffort']}"), "", "pods", bestEffort)).isTrue();
        assertThat(QuotaUsage.inScope(json("{'scopes':['NotBestEffort']}"), "", "pods", bestEffort)).isFalse();
        assertThat(QuotaUsage.inScope(json("{'scopes':['BestEffort']}"), "", "configmaps", bestEffort)).isFalse();
        assertThat(QuotaUsage.inScope(json("{}"), "", "configmaps", bestEffort)).isTrue();
    }
}
