package dev.konductor.api.patch;

import static dev.konductor.api.patch.ManagedFieldsTest.T1;
import static dev.konductor.api.patch.ManagedFieldsTest.T2;
import static dev.konductor.api.patch.MiniSchemas.DEPLOYMENT;
import static dev.konductor.api.patch.MiniSchemas.POD;
import static dev.konductor.api.patch.MiniSchemas.json;
import static dev.konductor.api.patch.MiniSchemas.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.status.FieldError;
import dev.konductor.api.status.StatusException;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {

    private static final String DEPLOY = """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},
             'spec':{'replicas':%d,'selector':{'matchLabels':{'app':'web'}},
               'template':{'metadata':{'labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'web','image':'%s'}]}}}}""";

    private static ObjectNode deployment(int replicas, String image) {
        return obj(DEPLOY.formatted(replicas, image));
    }

    private static JsonNode entry(JsonNode obj, String manager) {
        for (JsonNode e : obj.at("/metadata/managedFields")) {
            if (e.get("manager").textValue().equals(manager)) {
                return e;
            }
        }
        return null;
    }

    @Test
    void createByApplyOwnsTheConfiguredFields() {
        ObjectNode config = obj("""
                {'apiVersion':'v1','kind':'Pod','metadata':{'name':'web','labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'web','image':'nginx'}]}}""");
        ObjectNode created = ServerSideApply.apply(null, config, "kubectl", false, POD, T1);
        ObjectNode withoutFields = ManagedFields.withoutManagedFields(created);
        assertThat(withoutFields).isEqualTo(config);
        assertThat(created.at("/metadata/managedFields")).isEqualTo(json("""
                [{'manager':'kubectl','operation':'Apply','apiVersion':'v1','time':'2026-01-02T03:04:05Z',
                  'fieldsType':'FieldsV1',
                  'fieldsV1':{'f:metadata':{'f:labels':{'f:app':{}}},
                              'f:spec':{'f:containers':{'k:{\\"name\\":\\"web\\"}':{'.':{},'f:image':{},'f:name':{}}}}}}]"""));
    }

    @Test
    void reapplyWithAChangedFieldUpdatesItWithoutConflict() {
        ObjectNode v1 = ServerSideApply.apply(null, deployment(1, "nginx:1.25"), "kubectl", false, DEPLOYMENT, T1);
        ObjectNode v2 = ServerSideApply.apply(v1, deployment(1, "nginx:1.26"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(v2.at("/spec/template/spec/containers/0/image").textValue()).isEqualTo("nginx:1.26");
        assertThat(v2.at("/metadata/managedFields")).hasSize(1);
        assertThat(entry(v2, "kubectl").get("time").textValue()).isEqualTo("2026-01-02T03:05:00Z");
    }

    @Test
    void fieldsDroppedFromTheConfigurationAreRemoved() {
        ObjectNode config = deployment(1, "nginx");
        config.with("metadata").with("labels").put("tier", "front");
        ((ObjectNode) config.at("/spec/template/spec")).withArray("containers")
                .addObject().put("name", "sidecar").put("image", "envoy");
        ObjectNode v1 = ServerSideApply.apply(null, config, "kubectl", false, DEPLOYMENT, T1);

        ObjectNode v2 = ServerSideApply.apply(v1, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(v2.at("/metadata/labels")).isEqualTo(json("{'app':'web'}"));
        assertThat(v2.at("/spec/template/spec/containers")).isEqualTo(json("[{'name':'web','image':'nginx'}]"));
        assertThat(entry(v2, "kubectl").toString()).doesNotContain("sidecar", "tier");
    }

    @Test
    void droppedFieldStaysWhileAnotherManagerOwnsIt() {
        ObjectNode config = deployment(1, "nginx");
        config.with("metadata").with("labels").put("tier", "front");
        ObjectNode v1 = ServerSideApply.apply(null, config, "kubectl", false, DEPLOYMENT, T1);
        ObjectNode labelsOnly = obj("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'tier':'front'}}}");
        ObjectNode v2 = ServerSideApply.apply(v1, labelsOnly, "labeler", false, DEPLOYMENT, T1);

        ObjectNode v3 = ServerSideApply.apply(v2, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(v3.at("/metadata/labels/tier").textValue()).isEqualTo("front");
        assertThat(entry(v3, "labeler").at("/fieldsV1")).isEqualTo(json("{'f:metadata':{'f:labels':{'f:tier':{}}}}"));
    }

    @Test
    void changingAFieldAnotherManagerOwnsIsA409InUpstreamsShape() {
        ObjectNode created = deployment(1, "nginx");
        ManagedFields.recordUpdate(null, created, "kubectl-client-side-apply", "Update", null, DEPLOYMENT, T1);

        assertThatThrownBy(() -> ServerSideApply.apply(created, deployment(3, "nginx"), "kubectl", false, DEPLOYMENT, T2))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with "
                            + "\"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
                    assertThat(e.causes()).containsExactly(new FieldError("FieldManagerConflict", ".spec.replicas",
                            "conflict with \"kubectl-client-side-apply\" using apps/v1"));
                    assertThat(e.toStatus().at("/details/causes/0/reason").textValue()).isEqualTo("FieldManagerConflict");
                });
    }

    @Test
    void sameValueIsSharedOwnershipNotAConflict() {
        ObjectNode created = deployment(1, "nginx");
        ManagedFields.recordUpdate(null, created, "kubectl-create", "Update", null, DEPLOYMENT, T1);
        ObjectNode applied = ServerSideApply.apply(created, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(entry(applied, "kubectl-create").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
        assertThat(entry(applied, "kubectl").at("/fieldsV1/f:spec").has("f:replicas")).isTrue();
    }

    @Test
    void forceTakesOwnershipFromTheOtherManager() {
        ObjectNode created = deployment(1, "nginx");
        ManagedFields.recordUpdate(null, created, "kubectl-client-side-apply", "Update", null, DEPLOYMENT, T1);
        ObjectNode forced = ServerSideApply.apply(created, deployment(3, "nginx:2"), "kubectl", true, DEPLOYMENT, T2);
        assertThat(forced.at("/spec/replicas").intValue()).isEqualTo(3);
        JsonNode csa = entry(forced, "kubectl-client-side-apply").get("fieldsV1");
        assertThat(csa.at("/f:spec").has("f:replicas")).isFalse();
        assertThat(csa.toString()).doesNotContain("f:image");
        assertThat(forced.at("/metadata/managedFields/0/operation").textValue()).as("Apply sorts first").isEqualTo("Apply");
    }

    @Test
    void severalConflictsAreListedPerManager() {
        ObjectNode created = deployment(1, "nginx");
        ManagedFields.recordUpdate(null, created, "kubectl-create", "Update", null, DEPLOYMENT, T1);
        assertThatThrownBy(() -> ServerSideApply.apply(created, deployment(2, "httpd"), "kubectl", false, DEPLOYMENT, T2))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("""
                            Apply failed with 2 conflicts: conflicts with "kubectl-create" using apps/v1:
                            - .spec.replicas
                            - .spec.template.spec.containers[name="web"].image""");
                    assertThat(e.causes()).extracting(FieldError::field)
                            .containsExactly(".spec.replicas", ".spec.template.spec.containers[name=\"web\"].image");
                });
    }

    @Test
    void updateAfterApplyShiftsOwnershipAndTheApplierThenConflicts() {
        ObjectNode v1 = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        ObjectNode v2 = v1.deepCopy();
        ((ObjectNode) v2.get("spec")).put("replicas", 5);
        ManagedFields.recordUpdate(v1, v2, "kubectl-scale", "Update", "scale", DEPLOYMENT, T2);
        assertThat(entry(v2, "kubectl").at("/fieldsV1/f:spec").has("f:replicas")).isFalse();
        assertThat(entry(v2, "kubectl-scale").get("fieldsV1")).isEqualTo(json("{'f:spec':{'f:replicas':{}}}"));

        assertThatThrownBy(() -> ServerSideApply.apply(v2, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T2))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Apply failed with 1 conflict: conflict with \"kubectl-scale\" with subresource \"scale\" "
                                + "using apps/v1: .spec.replicas"));
    }

    @Test
    void twoAppliersShareAListByKey() {
        ObjectNode v1 = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        ObjectNode sidecar = obj("""
                {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},
                 'spec':{'template':{'spec':{'containers':[{'name':'envoy','image':'envoy'}]}}}}""");
        ObjectNode v2 = ServerSideApply.apply(v1, sidecar, "mesh", false, DEPLOYMENT, T1);
        ObjectNode v3 = ServerSideApply.apply(v2, deployment(1, "nginx:2"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(v3.at("/spec/template/spec/containers")).isEqualTo(json("""
                [{'name':'web','image':'nginx:2'},{'name':'envoy','image':'envoy'}]"""));
    }

    @Test
    void objectWithoutManagedFieldsIsFirstAdoptedByBeforeFirstApply() {
        ObjectNode legacy = deployment(1, "nginx");
        assertThatThrownBy(() -> ServerSideApply.apply(legacy, deployment(2, "nginx"), "kubectl", false, DEPLOYMENT, T2))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.getMessage())
                        .contains("conflict with \"before-first-apply\" using apps/v1: .spec.replicas"));
        ObjectNode same = ServerSideApply.apply(legacy, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T2);
        assertThat(entry(same, "before-first-apply").get("operation").textValue()).isEqualTo("Update");
    }

    @Test
    void resultKeepsLiveKeyOrderAndAppendsNewKeys() {
        ObjectNode v1 = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        ObjectNode config = deployment(1, "nginx");
        ((ObjectNode) config.get("spec")).put("paused", true);
        ObjectNode reordered = obj("{}");
        reordered.set("spec", config.get("spec"));
        reordered.set("metadata", config.get("metadata"));
        reordered.set("kind", config.get("kind"));
        reordered.set("apiVersion", config.get("apiVersion"));
        ObjectNode v2 = ServerSideApply.apply(v1, reordered, "kubectl", false, DEPLOYMENT, T2);
        assertThat(v2.fieldNames()).toIterable().containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(v2.get("spec").fieldNames()).toIterable()
                .containsExactly("replicas", "selector", "template", "paused");
    }

    @Test
    void applyIsDeterministic() {
        ObjectNode a = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        ObjectNode b = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        assertThat(a.toString()).isEqualTo(b.toString());
    }

    @Test
    void configurationCarryingManagedFieldsIs400() {
        ObjectNode v1 = ServerSideApply.apply(null, deployment(1, "nginx"), "kubectl", false, DEPLOYMENT, T1);
        assertThatThrownBy(() -> ServerSideApply.apply(v1, v1, "kubectl", false, DEPLOYMENT, T2))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("metadata.managedFields must be nil");
                });
    }

    @Test
    void applyingToAnUnknownKindTracksObjectsGranularlyAndListsAtomically() {
        ObjectNode cr = obj("""
                {'apiVersion':'x.io/v1','kind':'Widget','metadata':{'name':'w'},'spec':{'size':1,'tags':['a','b']}}""");
        ObjectNode created = ServerSideApply.apply(null, cr, "kubectl", false, null, T1);
        // Every key of an untyped object is tracked as well as its content; metadata.name never is.
        assertThat(entry(created, "kubectl").get("fieldsV1"))
                .isEqualTo(json("{'f:spec':{'.':{},'f:size':{},'f:tags':{}}}"));
    }
}
