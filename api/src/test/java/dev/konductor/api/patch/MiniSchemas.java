package dev.konductor.api.patch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.konductor.api.schema.Schema;
import dev.konductor.api.schema.Schema.ArrayType;
import dev.konductor.api.schema.Schema.MapType;
import dev.konductor.api.schema.Schema.ObjectType;
import dev.konductor.api.schema.Schema.Property;
import dev.konductor.api.schema.Schema.Scalar;
import dev.konductor.api.schema.Schema.ScalarKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-built schemas for a few kinds, with upstream's patch metadata on the lists the tests use:
 * containers, volumes and env merge by name, ports by containerPort, finalizers are a set, args
 * and tolerations atomic.
 */
final class MiniSchemas {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    static final Scalar STRING = new Scalar(ScalarKind.STRING, null, List.of(), "");
    static final Scalar INT = new Scalar(ScalarKind.INTEGER, "int32", List.of(), "");
    static final Scalar BOOL = new Scalar(ScalarKind.BOOLEAN, null, List.of(), "");
    static final MapType STRING_MAP = new MapType(STRING, "");

    static final ObjectType OBJECT_META = object("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", List.of(),
            "name", STRING, "namespace", STRING, "uid", STRING, "resourceVersion", STRING, "generation", INT,
            "creationTimestamp", new Schema.Time(""), "labels", STRING_MAP, "annotations", STRING_MAP,
            "finalizers", new ArrayType(STRING, "", "merge", null, "set", null),
            "managedFields", atomic(new Schema.AnyValue("")));

    static final ObjectType CONTAINER = object("io.k8s.api.core.v1.Container", List.of("name"),
            "name", STRING, "image", STRING, "imagePullPolicy", STRING, "args", atomic(STRING),
            "env", byKey(object("io.k8s.api.core.v1.EnvVar", List.of("name"), "name", STRING, "value", STRING), "name"),
            "ports", byKey(object("io.k8s.api.core.v1.ContainerPort", List.of("containerPort"),
                    "containerPort", INT, "protocol", STRING, "name", STRING), "containerPort"),
            "resources", object("io.k8s.api.core.v1.ResourceRequirements", List.of(),
                    "limits", new MapType(new Schema.Quantity(""), ""), "requests", new MapType(new Schema.Quantity(""), "")));

    static final ObjectType POD_SPEC = object("io.k8s.api.core.v1.PodSpec", List.of("containers"),
            "containers", byKey(CONTAINER, "name"), "initContainers", byKey(CONTAINER, "name"),
            "volumes", byKey(object("io.k8s.api.core.v1.Volume", List.of("name"), "name", STRING,
                    "emptyDir", object("io.k8s.api.core.v1.EmptyDirVolumeSource", List.of(), "medium", STRING),
                    "configMap", object("io.k8s.api.core.v1.ConfigMapVolumeSource", List.of(), "name", STRING)), "name"),
            "nodeName", STRING, "restartPolicy", STRING, "nodeSelector", STRING_MAP,
            "tolerations", atomic(object("io.k8s.api.core.v1.Toleration", List.of(), "key", STRING)));

    static final ObjectType POD = object("io.k8s.api.core.v1.Pod", List.of(),
            "apiVersion", STRING, "kind", STRING, "metadata", OBJECT_META, "spec", POD_SPEC,
            "status", object("io.k8s.api.core.v1.PodStatus", List.of(), "phase", STRING));

    static final ObjectType POD_TEMPLATE = object("io.k8s.api.core.v1.PodTemplateSpec", List.of(),
            "metadata", OBJECT_META, "spec", POD_SPEC);

    static final ObjectType DEPLOYMENT = object("io.k8s.api.apps.v1.Deployment", List.of(),
            "apiVersion", STRING, "kind", STRING, "metadata", OBJECT_META,
            "spec", object("io.k8s.api.apps.v1.DeploymentSpec", List.of("selector", "template"),
                    "replicas", INT,
                    "selector", object("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector", List.of(),
                            "matchLabels", STRING_MAP),
                    "template", POD_TEMPLATE,
                    "strategy", object("io.k8s.api.apps.v1.DeploymentStrategy", List.of(), "type", STRING,
                            "rollingUpdate", object("io.k8s.api.apps.v1.RollingUpdateDeployment", List.of(),
                                    "maxSurge", new Schema.IntOrString(""), "maxUnavailable", new Schema.IntOrString("")))),
            "status", object("io.k8s.api.apps.v1.DeploymentStatus", List.of(), "replicas", INT));

    static final ObjectType NODE = object("io.k8s.api.core.v1.Node", List.of(),
            "apiVersion", STRING, "kind", STRING, "metadata", OBJECT_META,
            "spec", object("io.k8s.api.core.v1.NodeSpec", List.of(), "unschedulable", BOOL, "podCIDR", STRING));

    private MiniSchemas() {
    }

    static ObjectType object(String name, List<String> required, Object... nameSchemaPairs) {
        Map<String, Property> props = new LinkedHashMap<>();
        for (int i = 0; i < nameSchemaPairs.length; i += 2) {
            props.put((String) nameSchemaPairs[i], new Property((Schema) nameSchemaPairs[i + 1], ""));
        }
        return new ObjectType(name, "", props, required, false);
    }

    static ArrayType byKey(Schema items, String key) {
        return new ArrayType(items, "", "merge", key, "map", List.of(key));
    }

    static ArrayType atomic(Schema items) {
        return new ArrayType(items, "", null, null, null, null);
    }

    /** Parses JSON; single quotes stand for double quotes to keep test literals readable. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static ObjectNode obj(String text) {
        return (ObjectNode) json(text);
    }
}
