package dev.konductor.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import dev.konductor.api.resource.GroupVersionKind;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Admission;
import io.kubernetes.client.proto.V1Admissionregistration;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Certificates;
import io.kubernetes.client.proto.V1Networking;
import io.kubernetes.client.proto.V1Policy;
import io.kubernetes.client.proto.V1Rbac;
import io.kubernetes.client.proto.V1Scheduling;
import io.kubernetes.client.proto.V1Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which protobuf message a {@code group/version, Kind} is encoded as.
 *
 * <p>Built by scanning the {@code generated.proto} file descriptors: every message whose
 * {@code metadata} field is an {@code ObjectMeta} is an object kind, and the proto package
 * ({@code k8s.io.api.apps.v1}) names its group and version. The descriptors come from
 * {@code client-java-proto}, which has no autoscaling/v2, coordination.k8s.io, discovery.k8s.io
 * or events.k8s.io; autoscaling/v2 is described by {@link AutoscalingV2Descriptors} because
 * kubectl 1.33 sends it for {@code kubectl autoscale}.
 */
final class KindDescriptors {

    private static final String OBJECT_META = "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta";
    private static final String API_PACKAGE = "k8s.io.api.";

    /** Proto package segment to API group, for groups whose name is not the segment itself. */
    private static final Map<String, String> GROUPS = Map.ofEntries(
            Map.entry("core", ""),
            Map.entry("rbac", "rbac.authorization.k8s.io"),
            Map.entry("networking", "networking.k8s.io"),
            Map.entry("storage", "storage.k8s.io"),
            Map.entry("scheduling", "scheduling.k8s.io"),
            Map.entry("certificates", "certificates.k8s.io"),
            Map.entry("authentication", "authentication.k8s.io"),
            Map.entry("authorization", "authorization.k8s.io"),
            Map.entry("admissionregistration", "admissionregistration.k8s.io"),
            Map.entry("admission", "admission.k8s.io"),
            Map.entry("coordination", "coordination.k8s.io"),
            Map.entry("discovery", "discovery.k8s.io"),
            Map.entry("events", "events.k8s.io"));

    private final Map<GroupVersionKind, Descriptor> byKind;

    private KindDescriptors(Map<GroupVersionKind, Descriptor> byKind) {
        this.byKind = Map.copyOf(byKind);
    }

    /** The GA API files from client-java-proto plus the hand-described autoscaling/v2. */
    static KindDescriptors standard() {
        return of(List.of(V1.getDescriptor(), V1Apps.getDescriptor(), V1Autoscaling.getDescriptor(),
                V1Batch.getDescriptor(), V1Policy.getDescriptor(), V1Rbac.getDescriptor(),
                V1Networking.getDescriptor(), V1Storage.getDescriptor(), V1Scheduling.getDescriptor(),
                V1Certificates.getDescriptor(), V1Authentication.getDescriptor(),
                V1Authorization.getDescriptor(), V1Admissionregistration.getDescriptor(),
                V1Admission.getDescriptor(), AutoscalingV2Descriptors.file()));
    }

    static KindDescriptors of(List<FileDescriptor> files) {
        Map<GroupVersionKind, Descriptor> byKind = new HashMap<>();
        for (FileDescriptor file : files) {
            GroupVersion gv = groupVersion(file);
            for (Descriptor message : file.getMessageTypes()) {
                if (isObjectKind(message)) {
                    byKind.put(new GroupVersionKind(gv.group(), gv.version(), message.getName()), message);
                }
            }
        }
        return new KindDescriptors(byKind);
    }

    Optional<Descriptor> find(GroupVersionKind gvk) {
        return Optional.ofNullable(byKind.get(gvk));
    }

    Set<GroupVersionKind> kinds() {
        return byKind.keySet();
    }

    private static boolean isObjectKind(Descriptor message) {
        FieldDescriptor metadata = message.findFieldByName("metadata");
        return metadata != null && metadata.getType() == FieldDescriptor.Type.MESSAGE
                && metadata.getMessageType().getFullName().equals(OBJECT_META);
    }

    private record GroupVersion(String group, String version) {
    }

    private static GroupVersion groupVersion(FileDescriptor file) {
        String pkg = file.getPackage();
        if (!pkg.startsWith(API_PACKAGE)) {
            throw new IllegalArgumentException("not a k8s.io/api proto package: " + pkg);
        }
        String[] parts = pkg.substring(API_PACKAGE.length()).split("\\.");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected k8s.io.api.<group>.<version>: " + pkg);
        }
        return new GroupVersion(GROUPS.getOrDefault(parts[0], parts[0]), parts[1]);
    }
}
