package dev.konductor.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import dev.konductor.api.status.StatusException;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ServiceAccountAdmissionTest {

    private static final Admission.Request INTERNAL = Admission.Request.internal(false);

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ResourceType pods = ResourceRegistry.builtIn().byPlural("", "v1", "pods").orElseThrow();
    private final Map<String, JsonNode> accounts = new HashMap<>();
    private final ServiceAccountAdmission admission = new ServiceAccountAdmission(
            (namespace, name) -> accounts.get(namespace + "/" + name), new Random(7), 1);

    private static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ObjectNode admitted(String pod) {
        ObjectNode obj = json(pod);
        admission.admit(Admission.Operation.CREATE, pods, obj, null, INTERNAL);
        return obj;
    }

    private void account(String name, String extra) {
        accounts.put("ns/" + name, json("{'metadata':{'name':'" + name + "','namespace':'ns'}" + extra + "}"));
    }

    @Test
    void podWithoutAccountRunsAsDefaultWithUpstreamsProjectedVolume() {
        account("default", "");
        ObjectNode pod = admitted("{'metadata':{'name':'web','namespace':'ns'},'spec':{"
                + "'initContainers':[{'name':'init'}],'containers':[{'name':'a'},{'name':'b'}]}}");

        JsonNode spec = pod.path("spec");
        assertThat(spec.path("serviceAccountName").asText()).isEqualTo("default");
        assertThat(spec.path("serviceAccount").asText()).isEqualTo("default");
        String volume = spec.path("volumes").get(0).path("name").asText();
        assertThat(volume).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
        assertThat(spec.path("volumes").get(0)).isEqualTo(json("{'name':'" + volume + "','projected':{'sources':["
                + "{'serviceAccountToken':{'expirationSeconds':3607,'path':'token'}},"
                + "{'configMap':{'name':'kube-root-ca.crt','items':[{'key':'ca.crt','path':'ca.crt'}]}},"
                + "{'downwardAPI':{'items':[{'fieldRef':{'apiVersion':'v1','fieldPath':'metadata.namespace'},"
                + "'path':'namespace'}]}}],'defaultMode':420}}"));
        JsonNode mount = json("{'name':'" + volume + "','readOnly':true,"
                + "'mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}");
        for (String path : new String[] {"/initContainers/0", "/containers/0", "/containers/1"}) {
            assertThat(spec.at(path + "/volumeMounts")).as(path).containsExactly(mount);
        }
    }

    @Test
    void missingAccountIsRefusedWithUpstreamsMessage() {
        assertThatThrownBy(() -> admitted("{'metadata':{'name':'web','namespace':'ns'},"
                + "'spec':{'serviceAccountName':'builder','containers':[{'name':'a'}]}}"))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.getMessage()).isEqualTo("pods \"web\" is forbidden: error looking up service account "
                            + "ns/builder: serviceaccount \"builder\" not found");
                });
    }

    @Test
    void deprecatedServiceAccountFieldStillNamesTheAccount() {
        account("legacy", "");
        ObjectNode pod = admitted("{'metadata':{'name':'web','namespace':'ns'},"
                + "'spec':{'serviceAccount':'legacy','containers':[{'name':'a'}]}}");
        assertThat(pod.at("/spec/serviceAccountName").asText()).isEqualTo("legacy");
    }

    @Test
    void podsPreferenceAgainstAutomountingWins() {
        account("default", ",'automountServiceAccountToken':true");
        ObjectNode pod = admitted("{'metadata':{'name':'web','namespace':'ns'},"
                + "'spec':{'automountServiceAccountToken':false,'containers':[{'name':'a'}]}}");
        assertThat(pod.at("/spec/volumes").isMissingNode()).isTrue();
        assertThat(pod.at("/spec/containers/0/volumeMounts").isMissingNode()).isTrue();
    }

    @Test
    void accountCanOptOutAndAPodOptBackIn() {
        account("quiet", ",'automountServiceAccountToken':false");
        ObjectNode silent = admitted("{'metadata':{'name':'a','namespace':'ns'},"
                + "'spec':{'serviceAccountName':'quiet','containers':[{'name':'a'}]}}");
        ObjectNode optedIn = admitted("{'metadata':{'name':'b','namespace':'ns'},'spec':{'serviceAccountName':'quiet',"
                + "'automountServiceAccountToken':true,'containers':[{'name':'a'}]}}");
        assertThat(silent.at("/spec/volumes").isMissingNode()).isTrue();
        assertThat(optedIn.at("/spec/volumes/0/name").asText()).startsWith("kube-api-access-");
    }

    @Test
    void containerWithItsOwnCredentialsAtThePathKeepsThem() {
        account("default", "");
        ObjectNode pod = admitted("{'metadata':{'name':'web','namespace':'ns'},'spec':{'containers':["
                + "{'name':'own','volumeMounts':[{'name':'mine','mountPath':'/var/run/secrets/kubernetes.io/serviceaccount'}]},"
                + "{'name':'plain'}],'volumes':[{'name':'mine','emptyDir':{}}]}}");
        assertThat(pod.at("/spec/containers/0/volumeMounts")).hasSize(1);
        assertThat(pod.at("/spec/containers/1/volumeMounts/0/name").asText()).startsWith("kube-api-access-");
        assertThat(pod.at("/spec/volumes")).hasSize(2);
    }

    @Test
    void existingTokenVolumeIsReusedNotDuplicated() {
        ObjectNode spec = json("{'containers':[{'name':'a'}],'volumes':[{'name':'kube-api-access-abcde','projected':{}}]}");
        ServiceAccountAdmission.mountToken(spec, "kube-api-access-zzzzz");
        assertThat(spec.at("/volumes")).hasSize(1);
        assertThat(spec.at("/containers/0/volumeMounts/0/name").asText()).isEqualTo("kube-api-access-abcde");
    }

    @Test
    void mirrorPodsAndUpdatesAreLeftAlone() {
        ObjectNode mirror = admitted("{'metadata':{'name':'etcd','namespace':'ns','annotations':"
                + "{'kubernetes.io/config.mirror':'x'}},'spec':{'containers':[{'name':'a'}]}}");
        assertThat(mirror.at("/spec/serviceAccountName").isMissingNode()).isTrue();
        ObjectNode updated = json("{'metadata':{'name':'web','namespace':'ns'},'spec':{'containers':[{'name':'a'}]}}");
        admission.admit(Admission.Operation.UPDATE, pods, updated, updated.deepCopy(), INTERNAL);
        assertThat(updated.at("/spec/volumes").isMissingNode()).isTrue();
    }
}
