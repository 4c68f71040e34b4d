package dev.konductor.api.patch;

import static dev.konductor.api.patch.MiniSchemas.DEPLOYMENT;
import static dev.konductor.api.patch.MiniSchemas.NODE;
import static dev.konductor.api.patch.MiniSchemas.POD;
import static dev.konductor.api.patch.MiniSchemas.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.konductor.api.status.StatusException;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {

    private static final JsonNode DEPLOY = json("""
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'web','annotations':{'deployment.kubernetes.io/revision':'1'}},
             'spec':{'replicas':2,
               'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':'25%','maxUnavailable':'25%'}},
               'template':{'metadata':{'labels':{'app':'web'}},
                 'spec':{'containers':[{'name':'web','image':'nginx:1.25','imagePullPolicy':'IfNotPresent',
                                        'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]}]}}}}""");

    private static final JsonNode POD_OBJ = json("""
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','finalizers':['a','b']},
             'spec':{'containers':[{'name':'one','image':'i1','args':['x','y']},{'name':'two','image':'i2'}],
                     'volumes':[{'name':'v','emptyDir':{}}]}}""");

    private static JsonNode containers(JsonNode pod) {
        return pod.at("/spec/containers");
    }

    @Test
    void kubectlApplyPatchUpdatesImageAndAnnotations() {
        JsonNode patch = json("""
                {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
                 'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'}],
                                             'containers':[{'image':'nginx:1.26','name':'web'}]}}}}""");
        JsonNode result = StrategicMergePatch.apply(DEPLOY, patch, DEPLOYMENT);
        JsonNode web = result.at("/spec/template/spec/containers/0");
        assertThat(web.get("image").textValue()).isEqualTo("nginx:1.26");
        assertThat(web.get("imagePullPolicy").textValue()).as("unpatched fields kept").isEqualTo("IfNotPresent");
        assertThat(web.get("env")).hasSize(2);
        assertThat(result.at("/metadata/annotations")).hasSize(2);
        assertThat(result.at("/spec/template/spec").has("$setElementOrder/containers")).isFalse();
        assertThat(DEPLOY.at("/spec/template/spec/containers/0/image").textValue()).as("original untouched")
                .isEqualTo("nginx:1.25");
    }

    @Test
    void cordonAndUncordon() {
        JsonNode node = json("{'apiVersion':'v1','kind':'Node','metadata':{'name':'n1'},'spec':{'podCIDR':'10.0.0.0/24'}}");
        JsonNode cordoned = StrategicMergePatch.apply(node, json("{'spec':{'unschedulable':true}}"), NODE);
        assertThat(cordoned.at("/spec/unschedulable").booleanValue()).isTrue();
        JsonNode uncordoned = StrategicMergePatch.apply(cordoned, json("{'spec':{'unschedulable':null}}"), NODE);
        assertThat(uncordoned).isEqualTo(node);
    }

    @Test
    void listsOfObjectsMergeByKey() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ, json("""
                {'spec':{'containers':[{'name':'two','image':'i2b'},{'name':'three','image':'i3'}]}}"""), POD);
        assertThat(containers(result)).isEqualTo(json("""
                [{'name':'one','image':'i1','args':['x','y']},{'name':'two','image':'i2b'},{'name':'three','image':'i3'}]"""));
    }

    @Test
    void nestedListsMergeByTheirOwnKey() {
        JsonNode result = StrategicMergePatch.apply(DEPLOY, json("""
                {'spec':{'template':{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'20'},{'name':'C','value':'3'}]}]}}}}"""),
                DEPLOYMENT);
        assertThat(result.at("/spec/template/spec/containers/0/env")).isEqualTo(json("""
                [{'name':'A','value':'1'},{'name':'B','value':'20'},{'name':'C','value':'3'}]"""));
    }

    @Test
    void deleteDirectiveRemovesTheElementWithThatKey() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ,
                json("{'spec':{'containers':[{'$patch':'delete','name':'one'}]}}"), POD);
        assertThat(containers(result)).isEqualTo(json("[{'name':'two','image':'i2'}]"));
    }

    @Test
    void replaceDirectiveInAListReplacesTheList() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ,
                json("{'spec':{'containers':[{'name':'only','image':'o'},{'$patch':'replace'}]}}"), POD);
        assertThat(containers(result)).isEqualTo(json("[{'name':'only','image':'o'}]"));
    }

    @Test
    void replaceDirectiveInAMapReplacesTheMap() {
        JsonNode result = StrategicMergePatch.apply(DEPLOY,
                json("{'spec':{'strategy':{'$patch':'replace','type':'Recreate'}}}"), DEPLOYMENT);
        assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
    }

    @Test
    void deleteDirectiveInAMapEmptiesIt() {
        JsonNode result = StrategicMergePatch.apply(DEPLOY,
                json("{'metadata':{'annotations':{'$patch':'delete'}}}"), DEPLOYMENT);
        assertThat(result.at("/metadata/annotations")).isEmpty();
    }

    @Test
    void retainKeysDropsUnlistedKeys() {
        JsonNode result = StrategicMergePatch.apply(DEPLOY, json("""
                {'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':null}}}"""), DEPLOYMENT);
        assertThat(result.at("/spec/strategy")).isEqualTo(json("{'type':'Recreate'}"));
    }

    @Test
    void retainKeysMustListEveryPatchedKey() {
        assertThatThrownBy(() -> StrategicMergePatch.apply(DEPLOY, json("""
                {'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate','rollingUpdate':{'maxSurge':1}}}}"""),
                DEPLOYMENT)).isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(400);
                    assertThat(e.getMessage()).isEqualTo("invalid patch format of retainKeys");
                });
    }

    @Test
    void setElementOrderReordersTheMergedList() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ, json("""
                {'spec':{'$setElementOrder/containers':[{'name':'two'},{'name':'one'}],
                         'containers':[{'name':'one','image':'i1b'}]}}"""), POD);
        assertThat(containers(result)).isEqualTo(json("""
                [{'name':'two','image':'i2'},{'name':'one','image':'i1b','args':['x','y']}]"""));
    }

    @Test
    void setElementOrderKeepsServerOnlyElementsWhereTheyStood() {
        JsonNode pod = json("{'spec':{'containers':[{'name':'a'},{'name':'s'},{'name':'b'}]}}");
        JsonNode result = StrategicMergePatch.apply(pod, json("""
                {'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'},{'name':'c'}],
                         'containers':[{'name':'c'}]}}"""), POD);
        // "s" stood before "b" on the server, so it stays ahead of it (upstream's mergeSortedSlice).
        assertThat(containers(result)).isEqualTo(json("[{'name':'s'},{'name':'b'},{'name':'a'},{'name':'c'}]"));
    }

    @Test
    void setElementOrderMustAgreeWithThePatchList() {
        assertThatThrownBy(() -> StrategicMergePatch.apply(POD_OBJ, json("""
                {'spec':{'$setElementOrder/containers':[{'name':'one'},{'name':'two'}],
                         'containers':[{'name':'two','image':'x'},{'name':'one','image':'y'}]}}"""), POD))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(500));
    }

    @Test
    void primitiveMergeListsAreUnionedAndDeletedFromByParallelList() {
        JsonNode added = StrategicMergePatch.apply(POD_OBJ, json("{'metadata':{'finalizers':['c','a']}}"), POD);
        // Patched values come in the patch's order; "b" precedes none of them on the server.
        assertThat(added.at("/metadata/finalizers")).isEqualTo(json("['c','a','b']"));
        JsonNode deleted = StrategicMergePatch.apply(POD_OBJ, json("""
                {'metadata':{'$deleteFromPrimitiveList/finalizers':['a'],'$setElementOrder/finalizers':['b']}}"""), POD);
        assertThat(deleted.at("/metadata/finalizers")).isEqualTo(json("['b']"));
    }

    @Test
    void listsWithoutMergeStrategyAreReplaced() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ,
                json("{'spec':{'containers':[{'name':'one','args':['z']}]}}"), POD);
        assertThat(result.at("/spec/containers/0/args")).isEqualTo(json("['z']"));
        assertThat(result.at("/spec/containers/0/image").textValue()).isEqualTo("i1");
    }

    @Test
    void unknownSchemaBehavesLikeJsonMergePatch() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ,
                json("{'spec':{'containers':[{'name':'two','image':'x'}]},'metadata':{'finalizers':null}}"), null);
        assertThat(containers(result)).isEqualTo(json("[{'name':'two','image':'x'}]"));
        assertThat(result.at("/metadata").has("finalizers")).isFalse();
    }

    @Test
    void directivesInNewFieldsAreResolvedNotStored() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ, json("""
                {'spec':{'initContainers':[{'name':'init','image':'busybox'},{'name':'gone','$patch':'delete'}],
                         'nodeSelector':{'$patch':'replace','disk':'ssd'}}}"""), POD);
        assertThat(result.at("/spec/initContainers")).isEqualTo(json("[{'name':'init','image':'busybox'}]"));
        assertThat(result.at("/spec/nodeSelector")).isEqualTo(json("{'disk':'ssd'}"));
    }

    @Test
    void elementWithoutMergeKeyIsUpstreamsInternalError() {
        assertThatThrownBy(() -> StrategicMergePatch.apply(POD_OBJ,
                json("{'spec':{'containers':[{'image':'nokey'}]}}"), POD))
                .isInstanceOfSatisfying(StatusException.class, e -> {
                    assertThat(e.code()).isEqualTo(500);
                    assertThat(e.getMessage()).contains("does not contain declared merge key: name");
                });
    }

    @Test
    void listOfListsIs422() {
        assertThatThrownBy(() -> StrategicMergePatch.apply(POD_OBJ,
                json("{'metadata':{'finalizers':[['x']]}}"), POD))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(422));
    }

    @Test
    void malformedDirectivesAre400() {
        for (String patch : new String[] {
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}",
            "{'spec':{'$setElementOrder/containers':'x'}}",
            "{'spec':{'$setElementOrder':[]}}",
            "{'spec':{'$retainKeys':'type'}}"}) {
            assertThatThrownBy(() -> StrategicMergePatch.apply(POD_OBJ, json(patch), POD))
                    .as(patch).isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
        }
        assertThatThrownBy(() -> StrategicMergePatch.apply(POD_OBJ, json("[]"), POD))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void typeChangeReplacesTheValue() {
        JsonNode result = StrategicMergePatch.apply(DEPLOY, json("{'spec':{'strategy':'weird'}}"), DEPLOYMENT);
        assertThat(result.at("/spec/strategy").textValue()).isEqualTo("weird");
    }

    @Test
    void kubectlApplyRemovingAContainerSendsDeleteWithElementOrder() {
        JsonNode result = StrategicMergePatch.apply(POD_OBJ, json("""
                {'spec':{'$setElementOrder/containers':[{'name':'two'}],
                         'containers':[{'$patch':'delete','name':'one'}]}}"""), POD);
        assertThat(containers(result)).isEqualTo(json("[{'name':'two','image':'i2'}]"));
    }
}
