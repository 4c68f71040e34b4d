package dev.konductor.apiserver.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource;
import java.util.List;

/**
 * The message descriptors of {@code k8s.io/api/autoscaling/v2/generated.proto}, which
 * client-java-proto does not ship. kubectl 1.33 sends {@code kubectl autoscale} bodies in this
 * version.
 *
 * <p>Field numbers and names are those of the upstream file (they are the wire contract); the
 * descriptor is built in code so the generic {@link MessageToJson} walk decodes it like any other
 * kind, including the shared {@code ObjectMeta}, {@code Time} and {@code Quantity}.
 */
final class AutoscalingV2Descriptors {

    private static final String META = ".k8s.io.apimachinery.pkg.apis.meta.v1.";
    private static final String QUANTITY = ".k8s.io.apimachinery.pkg.api.resource.Quantity";
    private static final String V2 = ".k8s.io.api.autoscaling.v2.";

    private AutoscalingV2Descriptors() {
    }

    static FileDescriptor file() {
        FileDescriptorProto proto = FileDescriptorProto.newBuilder()
                .setName("k8s.io/api/autoscaling/v2/generated.proto")
                .setPackage("k8s.io.api.autoscaling.v2")
                .setSyntax("proto2")
                .addDependency(Meta.getDescriptor().getName())
                .addDependency(Resource.getDescriptor().getName())
                .addMessageType(message("HorizontalPodAutoscaler",
                        msg(1, "metadata", META + "ObjectMeta"),
                        msg(2, "spec", V2 + "HorizontalPodAutoscalerSpec"),
                        msg(3, "status", V2 + "HorizontalPodAutoscalerStatus")))
                .addMessageType(message("HorizontalPodAutoscalerSpec",
                        msg(1, "scaleTargetRef", V2 + "CrossVersionObjectReference"),
                        scalar(2, "minReplicas", Type.TYPE_INT32),
                        scalar(3, "maxReplicas", Type.TYPE_INT32),
                        repeated(msg(4, "metrics", V2 + "MetricSpec")),
                        msg(5, "behavior", V2 + "HorizontalPodAutoscalerBehavior")))
                .addMessageType(message("CrossVersionObjectReference",
                        scalar(1, "kind", Type.TYPE_STRING),
                        scalar(2, "name", Type.TYPE_STRING),
                        scalar(3, "apiVersion", Type.TYPE_STRING)))
                .addMessageType(message("MetricSpec",
                        scalar(1, "type", Type.TYPE_STRING),
                        msg(2, "object", V2 + "ObjectMetricSource"),
                        msg(3, "pods", V2 + "PodsMetricSource"),
                        msg(4, "resource", V2 + "ResourceMetricSource"),
                        msg(5, "external", V2 + "ExternalMetricSource"),
                        msg(7, "containerResource", V2 + "ContainerResourceMetricSource")))
                .addMessageType(message("ObjectMetricSource",
                        msg(1, "describedObject", V2 + "CrossVersionObjectReference"),
                        msg(2, "target", V2 + "MetricTarget"),
                        msg(3, "metric", V2 + "MetricIdentifier")))
                .addMessageType(message("PodsMetricSource",
                        msg(1, "metric", V2 + "MetricIdentifier"),
                        msg(2, "target", V2 + "MetricTarget")))
                .addMessageType(message("ResourceMetricSource",
                        scalar(1, "name", Type.TYPE_STRING),
                        msg(2, "target", V2 + "MetricTarget")))
                .addMessageType(message("ContainerResourceMetricSource",
                        scalar(1, "name", Type.TYPE_STRING),
                        msg(2, "target", V2 + "MetricTarget"),
                        scalar(3, "container", Type.TYPE_STRING)))
                .addMessageType(message("ExternalMetricSource",
                        msg(1, "metric", V2 + "MetricIdentifier"),
                        msg(2, "target", V2 + "MetricTarget")))
                .addMessageType(message("MetricIdentifier",
                        scalar(1, "name", Type.TYPE_STRING),
                        msg(2, "selector", META + "LabelSelector")))
                .addMessageType(message("MetricTarget",
                        scalar(1, "type", Type.TYPE_STRING),
                        msg(2, "value", QUANTITY),
                        msg(3, "averageValue", QUANTITY),
                        scalar(4, "averageUtilization", Type.TYPE_INT32)))
                .addMessageType(message("HorizontalPodAutoscalerBehavior",
                        msg(1, "scaleUp", V2 + "HPAScalingRules"),
                        msg(2, "scaleDown", V2 + "HPAScalingRules")))
                .addMessageType(message("HPAScalingRules",
                        scalar(1, "selectPolicy", Type.TYPE_STRING),
                        repeated(msg(2, "policies", V2 + "HPAScalingPolicy")),
                        scalar(3, "stabilizationWindowSeconds", Type.TYPE_INT32),
                        msg(4, "tolerance", QUANTITY)))
                .addMessageType(message("HPAScalingPolicy",
                        scalar(1, "type", Type.TYPE_STRING),
                        scalar(2, "value", Type.TYPE_INT32),
                        scalar(3, "periodSeconds", Type.TYPE_INT32)))
                .addAllMessageType(statusMessages())
                .build();
        try {
            return FileDescriptor.buildFrom(proto,
                    new FileDescriptor[] {Meta.getDescriptor(), Resource.getDescriptor()});
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("autoscaling/v2 descriptor is inconsistent", e);
        }
    }

    /** Status messages: a client may send status on create, and the server then ignores it. */
    private static List<DescriptorProto> statusMessages() {
        return List.of(
                message("HorizontalPodAutoscalerStatus",
                        scalar(1, "observedGeneration", Type.TYPE_INT64),
                        msg(2, "lastScaleTime", META + "Time"),
                        scalar(3, "currentReplicas", Type.TYPE_INT32),
                        scalar(4, "desiredReplicas", Type.TYPE_INT32),
                        repeated(msg(5, "currentMetrics", V2 + "MetricStatus")),
                        repeated(msg(6, "conditions", V2 + "HorizontalPodAutoscalerCondition"))),
                message("HorizontalPodAutoscalerCondition",
                        scalar(1, "type", Type.TYPE_STRING),
                        scalar(2, "status", Type.TYPE_STRING),
                        msg(3, "lastTransitionTime", META + "Time"),
                        scalar(4, "reason", Type.TYPE_STRING),
                        scalar(5, "message", Type.TYPE_STRING),
                        scalar(6, "observedGeneration", Type.TYPE_INT64)),
                message("MetricStatus",
                        scalar(1, "type", Type.TYPE_STRING),
                        msg(2, "object", V2 + "ObjectMetricStatus"),
                        msg(3, "pods", V2 + "PodsMetricStatus"),
                        msg(4, "resource", V2 + "ResourceMetricStatus"),
                        msg(5, "external", V2 + "ExternalMetricStatus"),
                        msg(7, "containerResource", V2 + "ContainerResourceMetricStatus")),
                message("ObjectMetricStatus",
                        msg(1, "metric", V2 + "MetricIdentifier"),
                        msg(2, "current", V2 + "MetricValueStatus"),
                        msg(3, "describedObject", V2 + "CrossVersionObjectReference")),
                message("PodsMetricStatus",
                        msg(1, "metric", V2 + "MetricIdentifier"),
                        msg(2, "current", V2 + "MetricValueStatus")),
                message("ResourceMetricStatus",
                        scalar(1, "name", Type.TYPE_STRING),
                        msg(2, "current", V2 + "MetricValueStatus")),
                message("ContainerResourceMetricStatus",
                        scalar(1, "name", Type.TYPE_STRING),
                        msg(2, "current", V2 + "MetricValueStatus"),
                        scalar(3, "container", Type.TYPE_STRING)),
                message("ExternalMetricStatus",
                        msg(1, "metric", V2 + "MetricIdentifier"),
                        msg(2, "current", V2 + "MetricValueStatus")),
                message("MetricValueStatus",
                        msg(1, "value", QUANTITY),
                        msg(2, "averageValue", QUANTITY),
                        scalar(3, "averageUtilization", Type.TYPE_INT32)));
    }

    private static DescriptorProto message(String name, FieldDescriptorProto... fields) {
        return DescriptorProto.newBuilder().setName(name).addAllField(List.of(fields)).build();
    }

    private static FieldDescriptorProto scalar(int number, String name, Type type) {
        return FieldDescriptorProto.newBuilder().setNumber(number).setName(name).setJsonName(name)
                .setLabel(Label.LABEL_OPTIONAL).setType(type).build();
    }

    private static FieldDescriptorProto msg(int number, String name, String typeName) {
        return scalar(number, name, Type.TYPE_MESSAGE).toBuilder().setTypeName(typeName).build();
    }

    private static FieldDescriptorProto repeated(FieldDescriptorProto field) {
        return field.toBuilder().setLabel(Label.LABEL_REPEATED).build();
    }
}
