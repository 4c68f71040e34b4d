package dev.konductor.api.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FieldPrunerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelSchemas MODELS = ModelSchemas.create();

    @Test
    void unknownFieldsOfABuiltInKindUseUpstreamPaths() throws Exception {
        ObjectNode deployment = (ObjectNode) JSON.readTree("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "labelz": {}},
                 "spec": {"foo": 1, "replicas": 2, "template": {"spec": {"containers": [
                   {"name": "a", "image": "nginx"}, {"name": "b", "bogus": true, "resources": {"limits": {"cpu": 1}}}
                 ]}}}}""");
        assertThat(FieldPruner.pruneUnknown(deployment, MODELS.forModel(Deployment.class))).containsExactly(
                "metadata.labelz", "spec.foo", "spec.template.spec.containers[1].bogus");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(deployment.at("/spec/template/spec/containers/1/resources/limits/cpu").asInt()).isEqualTo(1);
    }

    @Test
    void managedFieldsContentIsKept() throws Exception {
        ObjectNode pod = (ObjectNode) JSON.readTree("""
                {"metadata": {"managedFields": [{"manager": "m", "fieldsV1": {"f:spec": {"f:x": {}}}}]}}""");
        assertThat(FieldPruner.pruneUnknown(pod, MODELS.forModel(Pod.class))).isEmpty();
        assertThat(pod.at("/metadata/managedFields/0/fieldsV1/f:spec").isObject()).isTrue();
    }

    @Test
    void wrongJsonTypesGiveGoDecoderMessages() throws Exception {
        Schema pod = MODELS.forModel(Pod.class);
        assertThat(FieldPruner.typeErrors(JSON.readTree("{\"spec\": {\"containers\": \"nginx\"}}"), pod))
                .containsExactly("json: cannot unmarshal string into Go struct field PodSpec.spec.containers "
                        + "of type []v1.Container");
        assertThat(FieldPruner.typeErrors(JSON.readTree("{\"metadata\": {\"name\": 5}}"), pod))
                .containsExactly("json: cannot unmarshal number into Go struct field ObjectMeta.metadata.name "
                        + "of type string");
        assertThat(FieldPruner.typeErrors(JSON.readTree(
                "{\"spec\": {\"containers\": [{\"name\": \"a\", \"ports\": [{\"containerPort\": 1.5}]}]}}"), pod))
                .containsExactly("json: cannot unmarshal number 1.5 into Go struct field "
                        + "ContainerPort.spec.containers.ports.containerPort of type int32");
        assertThat(FieldPruner.typeErrors(JSON.readTree(
                "{\"spec\": {\"containers\": [{\"name\": \"a\", \"ports\": [{\"targetPort\": \"x\"}]}]}}"), pod))
                .isEmpty();
    }

    @Test
    void duplicateFieldsAreFoundInTheRawText() {
        assertThat(FieldPruner.duplicateFields("""
                {"spec": {"replicas": 1, "replicas": 2, "template": {"spec": {"containers": [
                  {"name": "a", "name": "b"}]}}}, "kind": "x"}"""))
                .containsExactly("spec.replicas", "spec.template.spec.containers[0].name");
    }
}
