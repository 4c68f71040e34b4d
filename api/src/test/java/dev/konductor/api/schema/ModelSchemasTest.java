package dev.konductor.api.schema;

import dev.konductor.api.resource.ResourceRegistry;
import dev.konductor.api.resource.ResourceType;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ModelSchemasTest {

    private static final ModelSchemas MODELS = ModelSchemas.create();

    @Test
    void everyBuiltInKindHasAnUpstreamNamedSchema() {
        for (ResourceType type : ResourceRegistry.builtIn().all()) {
            Schema.ObjectType kind = MODELS.forModel(type.modelClass());
            assertThat(kind.name()).startsWith("io.k8s.").endsWith("." + type.kind());
            assertThat(kind.properties()).containsKeys("apiVersion", "kind", "metadata");
            if (type.verbs().contains("list")) {
                // create-only kinds (TokenReview) have no list kind, upstream neither
                assertThat(MODELS.definitions()).containsKey(kind.name() + "List");
            }
        }
        assertThat(MODELS.forModel(CustomResourceDefinition.class).name())
                .isEqualTo("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition");
    }

    @Test
    void deploymentContainersMergeByName() {
        Schema.ArrayType containers = (Schema.ArrayType) property(MODELS.forModel(Deployment.class),
                "spec", "template", "spec", "containers");
        assertThat(containers.patchStrategy()).isEqualTo("merge");
        assertThat(containers.patchMergeKey()).isEqualTo("name");
        assertThat(containers.listType()).isEqualTo("map");
        assertThat(containers.listMapKeys()).containsExactly("name");
        Schema.ObjectType container = (Schema.ObjectType) containers.items();
        assertThat(container.name()).isEqualTo("io.k8s.api.core.v1.Container");
        assertThat(container.required()).containsExactly("name");

        Schema.ArrayType ports = (Schema.ArrayType) container.properties().get("ports").schema();
        assertThat(ports.patchMergeKey()).isEqualTo("containerPort");
        assertThat(ports.listMapKeys()).containsExactly("containerPort", "protocol");
        Schema.ArrayType volumes = (Schema.ArrayType) property(MODELS.forModel(Pod.class), "spec", "volumes");
        assertThat(volumes.patchStrategy()).isEqualTo("merge,retainKeys");
        assertThat(MODELS.fieldPatchStrategy("io.k8s.api.apps.v1.DeploymentSpec", "strategy")).contains("retainKeys");
    }

    @Test
    void metadataListsAndTimesFollowUpstream() {
        Schema.ObjectType meta = MODELS.forModel(ObjectMeta.class);
        assertThat(meta.name()).isEqualTo("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(meta.required()).isEmpty();
        assertThat(meta.properties().get("creationTimestamp").schema()).isInstanceOf(Schema.Time.class);
        assertThat(meta.properties().get("generation").schema())
                .isEqualTo(new Schema.Scalar(Schema.ScalarKind.INTEGER, "int64", java.util.List.of(), ""));
        Schema.ArrayType owners = (Schema.ArrayType) meta.properties().get("ownerReferences").schema();
        assertThat(owners.patchMergeKey()).isEqualTo("uid");
        Schema.ArrayType finalizers = (Schema.ArrayType) meta.properties().get("finalizers").schema();
        assertThat(finalizers.patchStrategy()).isEqualTo("merge");
        assertThat(finalizers.listType()).isEqualTo("set");
        Schema.ArrayType conditions = (Schema.ArrayType) property(MODELS.forModel(Pod.class), "status", "conditions");
        assertThat(conditions.patchMergeKey()).isEqualTo("type");
        Schema.ObjectType podCondition = (Schema.ObjectType) conditions.items();
        assertThat(podCondition.properties().get("lastTransitionTime").schema()).isInstanceOf(Schema.Time.class);
        assertThat(property(MODELS.forModel(Pod.class), "status", "containerStatuses"))
                .isInstanceOfSatisfying(Schema.ArrayType.class, a -> assertThat(a.listType()).isEqualTo("atomic"));
    }

    @Test
    void specialTypesMapToTheirSchemas() {
        Schema.ArrayType ports = (Schema.ArrayType) property(MODELS.forModel(Service.class), "spec", "ports");
        assertThat(ports.patchMergeKey()).isEqualTo("port");
        Schema.ObjectType port = (Schema.ObjectType) ports.items();
        assertThat(port.properties().get("targetPort").schema()).isInstanceOf(Schema.IntOrString.class);
        assertThat(port.properties().get("port").schema())
                .isEqualTo(new Schema.Scalar(Schema.ScalarKind.INTEGER, "int32", java.util.List.of(), ""));
        Schema.MapType limits = (Schema.MapType) property(MODELS.forModel(Pod.class),
                "spec", "containers", "resources", "limits");
        assertThat(limits.values()).isInstanceOf(Schema.Quantity.class);
        Schema.MapType data = (Schema.MapType) MODELS.forModel(Secret.class).properties().get("data").schema();
        assertThat(((Schema.Scalar) data.values()).format()).isEqualTo("byte");
        Schema.ObjectType revision = MODELS.forModel(io.fabric8.kubernetes.api.model.apps.ControllerRevision.class);
        assertThat(revision.properties().get("data").schema()).isInstanceOf(Schema.AnyValue.class);
        assertThat(revision.required()).containsExactly("revision");
    }

    @Test
    void recursiveCrdSchemaTypeIsBuiltOnce() {
        Schema.ObjectType props = MODELS.definition(
                "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps").orElseThrow();
        Schema.MapType properties = (Schema.MapType) props.properties().get("properties").schema();
        assertThat(properties.values()).isSameAs(props);
        assertThat(props.properties().get("default").schema()).isInstanceOf(Schema.AnyValue.class);
    }

    /** Follows property names through objects, lists and maps. */
    static Schema property(Schema.ObjectType root, String... path) {
        Schema current = root;
        for (String name : path) {
            while (!(current instanceof Schema.ObjectType)) {
                current = switch (current) {
                    case Schema.ArrayType a -> a.items();
                    case Schema.MapType m -> m.values();
                    default -> throw new AssertionError("no object at " + name);
                };
            }
            current = ((Schema.ObjectType) current).properties().get(name).schema();
        }
        return current;
    }
}
