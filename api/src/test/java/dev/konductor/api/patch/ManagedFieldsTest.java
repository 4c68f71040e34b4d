package dev.konductor.api.patch;

import static dev.konductor.api.patch.MiniSchemas.DEPLOYMENT;
import static dev.konductor.api.patch.MiniSchemas.POD;
import static dev.konductor.api.patch.MiniSchemas.json;
import static dev.konductor.api.patch.MiniSchemas.obj;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManagedFieldsTest {

    static final Instant T1 = Instant.parse("2026-01-02T03:04:05.678Z");
    static final Instant T2 = Instant.parse("2026-01-02T03:05:00Z");

    private static final String POD_JSON = """
            {'apiVersion':'v1','kind':'Pod',
             'metadata':{'name':'web','namespace':'default','uid':'u1','resourceVersion':'1','labels':{'app':'web'}},
             'spec':{'containers':[{'name':'web','image':'nginx'}]},'status':{}}""";

    @Test
    void createRecordsOneUpdateEntryInUpstreamsShape() {
        ObjectNode pod = obj(POD_JSON);
        ManagedFields.recordUpdate(null, pod, "kubectl-run", "Update", null, POD, T1);
        assertThat(pod.at("/metadata/managedFields")).isEqualTo(json("""
                [{'manager':'kubectl-run','operation':'Update','apiVersion':'v1','time':'2026-01-02T03:04:05Z',
                  'fieldsType':'FieldsV1',
                  'fieldsV1':{'f:metadata':{'f:labels':{'.':{},'f:app':{}}},
                              'f:spec':{'f:containers':{'k:{\\"name\\":\\"web\\"}':{'.':{},'f:image':{},'f:name':{}}}}}}]"""));
        assertThat(pod.at("/metadata/managedFields/0").fieldNames()).toIterable()
                .containsExactly("manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1");
    }

    @Test
    void anotherManagersChangeMovesOwnershipOfThatField() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.at("/spec/containers/0")).put("image", "nginx:1.26");
        ManagedFields.recordUpdate(v1, v2, "kubectl-edit", "Update", null, POD, T2);

        JsonNode entries = v2.at("/metadata/managedFields");
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).get("manager").textValue()).as("oldest first").isEqualTo("kubectl-run");
        assertThat(entries.get(0).at("/fieldsV1/f:spec")).isEqualTo(json("""
                {'f:containers':{'k:{\\"name\\":\\"web\\"}':{'.':{},'f:name':{}}}}"""));
        assertThat(entries.get(1)).isEqualTo(json("""
                {'manager':'kubectl-edit','operation':'Update','apiVersion':'v1','time':'2026-01-02T03:05:00Z',
                 'fieldsType':'FieldsV1',
                 'fieldsV1':{'f:spec':{'f:containers':{'k:{\\"name\\":\\"web\\"}':{'f:image':{}}}}}}"""));
    }

    @Test
    void writeThatChangesNothingTrackedLeavesEntriesAlone() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("metadata")).put("resourceVersion", "2");
        ManagedFields.recordUpdate(v1, v2, "kubectl-edit", "Update", null, POD, T2);
        assertThat(v2.at("/metadata/managedFields")).isEqualTo(v1.at("/metadata/managedFields"));
    }

    @Test
    void onlyTheChangedFieldMovesWhetherTheRestIsTheSameNodesOrEqualNumbers() {
        ObjectNode v1 = obj("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'web','image':'nginx','ports':[{'containerPort':80}]}],
                         'terminationGracePeriodSeconds':30},'status':{}}""");
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.at("/metadata/labels")).put("app", "shop");
        // a long where the stored object has an int: equal as upstream compares numbers
        ((ObjectNode) v2.at("/spec/containers/0/ports/0")).put("containerPort", 80L);
        ((ObjectNode) v2.get("spec")).put("terminationGracePeriodSeconds", 30L);

        ManagedFields.recordUpdate(v1, v2, "kubectl-label", "Update", null, POD, T2);

        assertThat(v2.at("/metadata/managedFields/1/manager").asText()).isEqualTo("kubectl-label");
        assertThat(v2.at("/metadata/managedFields/1/fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:app':{}}}}"));
        assertThat(v2.at("/metadata/managedFields/0/fieldsV1/f:spec")).isEqualTo(v1.at("/metadata/managedFields/0/fieldsV1/f:spec"));
    }

    @Test
    void anOwnerRewritingItsFieldsKeepsItsEntryAndLosesWhatItRemoves() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.at("/spec/containers/0")).put("image", "nginx:1.26");
        ManagedFields.recordUpdate(v1, v2, "kubectl-run", "Update", null, POD, T2);
        JsonNode entries = v2.at("/metadata/managedFields");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("fieldsV1")).isEqualTo(v1.at("/metadata/managedFields/0/fieldsV1"));
        assertThat(entries.get(0).get("time").textValue()).isEqualTo("2026-01-02T03:05:00Z");

        // the same manager changing one of its fields and removing others
        ObjectNode v3 = v2.deepCopy();
        ((ObjectNode) v3.at("/spec/containers/0")).put("image", "nginx:1.27");
        ((ObjectNode) v3.get("metadata")).remove("labels");
        ManagedFields.recordUpdate(v2, v3, "kubectl-run", "Update", null, POD, T2);
        assertThat(v3.at("/metadata/managedFields")).isEqualTo(json("""
                [{'manager':'kubectl-run','operation':'Update','apiVersion':'v1','time':'2026-01-02T03:05:00Z',
                  'fieldsType':'FieldsV1',
                  'fieldsV1':{'f:spec':{'f:containers':{'k:{\\"name\\":\\"web\\"}':{'.':{},'f:image':{},'f:name':{}}}}}}]"""));
    }

    @Test
    void removingAFieldTakesItFromItsOwnerAndEmptyEntriesDisappear() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.at("/metadata/labels")).put("tier", "front");
        ManagedFields.recordUpdate(v1, v2, "kubectl-label", "Update", null, POD, T2);
        ObjectNode v3 = v2.deepCopy();
        ((ObjectNode) v3.at("/metadata/labels")).remove("tier");
        ManagedFields.recordUpdate(v2, v3, "kubectl-run", "Update", null, POD, T2);
        JsonNode entries = v3.at("/metadata/managedFields");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("manager").textValue()).isEqualTo("kubectl-run");
    }

    @Test
    void statusSubresourceWritesOwnOnlyStatus() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("status")).put("phase", "Running");
        ((ObjectNode) v2.at("/metadata/labels")).put("sneaky", "x");
        ManagedFields.recordUpdate(v1, v2, "kubelet", "Update", "status", POD, T2);
        JsonNode kubelet = v2.at("/metadata/managedFields/1");
        assertThat(kubelet.get("subresource").textValue()).isEqualTo("status");
        assertThat(kubelet.get("fieldsV1")).isEqualTo(json("{'f:status':{'f:phase':{}}}"));
    }

    @Test
    void mainResourceWritesDoNotOwnStatus() {
        ObjectNode pod = obj(POD_JSON);
        ((ObjectNode) pod.get("status")).put("phase", "Pending");
        ManagedFields.recordUpdate(null, pod, "kubectl-run", "Update", null, POD, T1);
        assertThat(pod.at("/metadata/managedFields/0/fieldsV1").has("f:status")).isFalse();
    }

    @Test
    void clientsMaySetOrResetManagedFields() {
        ObjectNode v1 = obj(POD_JSON);
        ManagedFields.recordUpdate(null, v1, "kubectl-run", "Update", null, POD, T1);
        ObjectNode v2 = v1.deepCopy();
        v2.with("metadata").putArray("managedFields").addObject();
        ManagedFields.recordUpdate(v1, v2, "kubectl-edit", "Update", null, POD, T2);
        assertThat(v2.at("/metadata").has("managedFields")).as("[{}] resets them").isFalse();

        ObjectNode v3 = v1.deepCopy();
        v3.with("metadata").remove("managedFields");
        ManagedFields.recordUpdate(v1, v3, "kubectl-edit", "Update", null, POD, T2);
        assertThat(v3.at("/metadata/managedFields")).as("omitted: the stored ones are kept")
                .isEqualTo(v1.at("/metadata/managedFields"));
    }

    @Test
    void scaleSubresourceWriteOwnsReplicas() {
        ObjectNode d1 = obj("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},
                 'spec':{'replicas':1,'template':{'spec':{'containers':[{'name':'web','image':'nginx'}]}}}}""");
        ManagedFields.recordUpdate(null, d1, "kubectl-create", "Update", null, DEPLOYMENT, T1);
        ObjectNode d2 = d1.deepCopy();
        ((ObjectNode) d2.get("spec")).put("replicas", 3);
        ManagedFields.recordUpdate(d1, d2, "kubectl", "Update", "scale", DEPLOYMENT, T2);
        JsonNode scale = d2.at("/metadata/managedFields/1");
        assertThat(scale.get("subresource").textValue()).isEqualTo("scale");
        assertThat(scale.get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));
        assertThat(d2.at("/metadata/managedFields/0/fieldsV1/f:spec").has("f:replicas")).isFalse();
    }

    @Test
    void moreThanTenUpdateManagersFoldIntoAncientChanges() {
        ObjectNode cur = obj("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{}}");
        for (int i = 0; i < 12; i++) {
            ObjectNode next = cur.deepCopy();
            next.with("data").put("k" + i, "v");
            ManagedFields.recordUpdate(cur, next, "m" + i, "Update", null, null, T1.plusSeconds(i * 60L));
            cur = next;
        }
        JsonNode entries = cur.at("/metadata/managedFields");
        assertThat(entries).hasSize(10);
        JsonNode ancient = entries.get(0);
        assertThat(ancient.get("manager").textValue()).isEqualTo("ancient-changes");
        assertThat(ancient.get("fieldsV1")).isEqualTo(json("{'f:data':{'f:k0':{},'f:k1':{},'f:k2':{}}}"));
    }
}
