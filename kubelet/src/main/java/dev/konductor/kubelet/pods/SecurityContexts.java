package dev.konductor.kubelet.pods;

import dev.konductor.kubelet.cri.v1.Capability;
import dev.konductor.kubelet.cri.v1.Image;
import dev.konductor.kubelet.cri.v1.Int64Value;
import dev.konductor.kubelet.cri.v1.LinuxContainerSecurityContext;
import dev.konductor.kubelet.cri.v1.LinuxSandboxSecurityContext;
import dev.konductor.kubelet.cri.v1.NamespaceOption;
import dev.konductor.kubelet.cri.v1.SecurityProfile;
import dev.konductor.kubelet.runtime.EphemeralContainers;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The pod's and its containers' {@code securityContext} as CRI's Linux security contexts, as
 * upstream's kubelet converts them: a container's own settings over the pod's (user, group,
 * non-root), the pod's supplemental groups and its {@code fsGroup} for every container,
 * privileges, capabilities, a read-only root filesystem, no_new_privs when privilege
 * escalation is not allowed, and the seccomp profile. Pure.
 */
final class SecurityContexts {

    /** Where upstream's kubelet looks for Localhost seccomp profiles. */
    static final String SECCOMP_ROOT = "/var/lib/kubelet/seccomp/";

    private SecurityContexts() {
    }

    static LinuxSandboxSecurityContext sandbox(Pod pod, NamespaceOption namespaces) {
        LinuxSandboxSecurityContext.Builder sandbox = LinuxSandboxSecurityContext.newBuilder()
                .setNamespaceOptions(namespaces)
                .addAllSupplementalGroups(supplementalGroups(pod))
                // containerd runs a privileged container only in a privileged sandbox
                .setPrivileged(allContainers(pod).anyMatch(c -> c.getSecurityContext() != null
                        && Boolean.TRUE.equals(c.getSecurityContext().getPrivileged())));
        PodSecurityContext podContext = pod.getSpec().getSecurityContext();
        if (podContext != null) {
            Optional.ofNullable(podContext.getRunAsUser()).ifPresent(u -> sandbox.setRunAsUser(int64(u)));
            Optional.ofNullable(podContext.getRunAsGroup()).ifPresent(g -> sandbox.setRunAsGroup(int64(g)));
            seccomp(podContext.getSeccompProfile()).ifPresent(sandbox::setSeccomp);
        }
        return sandbox.build();
    }

    static LinuxContainerSecurityContext container(Pod pod, Container container, NamespaceOption namespaces) {
        LinuxContainerSecurityContext.Builder context = LinuxContainerSecurityContext.newBuilder()
                .setNamespaceOptions(namespaces)
                .addAllSupplementalGroups(supplementalGroups(pod));
        runAsUser(pod, container).ifPresent(u -> context.setRunAsUser(int64(u)));
        effective(pod, container, SecurityContext::getRunAsGroup, PodSecurityContext::getRunAsGroup)
                .ifPresent(g -> context.setRunAsGroup(int64(g)));
        effective(pod, container, SecurityContext::getSeccompProfile, PodSecurityContext::getSeccompProfile)
                .flatMap(SecurityContexts::seccomp).ifPresent(context::setSeccomp);
        SecurityContext own = container.getSecurityContext();
        if (own != null) {
            context.setPrivileged(Boolean.TRUE.equals(own.getPrivileged()));
            context.setReadonlyRootfs(Boolean.TRUE.equals(own.getReadOnlyRootFilesystem()));
            context.setNoNewPrivs(Boolean.FALSE.equals(own.getAllowPrivilegeEscalation()));
            if (own.getCapabilities() != null) {
                Capability.Builder capabilities = Capability.newBuilder();
                Optional.ofNullable(own.getCapabilities().getAdd()).ifPresent(capabilities::addAllAddCapabilities);
                Optional.ofNullable(own.getCapabilities().getDrop()).ifPresent(capabilities::addAllDropCapabilities);
                context.setCapabilities(capabilities);
            }
        }
        return context.build();
    }

    /**
     * Why the container may not start under {@code runAsNonRoot}, in upstream's words; {@code image}
     * is asked only when the spec names no user.
     */
    static Optional<String> nonRootViolation(Pod pod, Container container, Supplier<Optional<Image>> image) {
        if (!effective(pod, container, SecurityContext::getRunAsNonRoot, PodSecurityContext::getRunAsNonRoot)
                .orElse(false)) {
            return Optional.empty();
        }
        String where = "(pod: \"" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "("
                + pod.getMetadata().getUid() + ")\", container: " + container.getName() + ")";
        Optional<Long> user = runAsUser(pod, container);
        if (user.isPresent()) {
            return user.get() == 0 ? Optional.of("container's runAsUser breaks non-root policy " + where) : Optional.empty();
        }
        Optional<Image> status = image.get();
        if (status.isPresent() && status.get().hasUid()) {
            return status.get().getUid().getValue() == 0
                    ? Optional.of("container has runAsNonRoot and image will run as root " + where) : Optional.empty();
        }
        String username = status.map(Image::getUsername).orElse("");
        if (!username.isEmpty()) {
            return Optional.of("container has runAsNonRoot and image has non-numeric user (" + username
                    + "), cannot verify user is non-root " + where);
        }
        return Optional.of("container has runAsNonRoot and image will run as root " + where);
    }

    /**
     * A seccompProfile as CRI's: RuntimeDefault and Unconfined as named, Localhost a file under
     * upstream's kubelet seccomp directory. None set leaves the runtime's default (unconfined, as
     * upstream's kubelet without SeccompDefault).
     */
    static Optional<SecurityProfile> seccomp(SeccompProfile profile) {
        if (profile == null || profile.getType() == null) {
            return Optional.empty();
        }
        return switch (profile.getType()) {
            case "RuntimeDefault" -> Optional.of(SecurityProfile.newBuilder()
                    .setProfileType(SecurityProfile.ProfileType.RuntimeDefault).build());
            case "Unconfined" -> Optional.of(SecurityProfile.newBuilder()
                    .setProfileType(SecurityProfile.ProfileType.Unconfined).build());
            case "Localhost" -> Optional.of(SecurityProfile.newBuilder()
                    .setProfileType(SecurityProfile.ProfileType.Localhost)
                    .setLocalhostRef(SECCOMP_ROOT + Optional.ofNullable(profile.getLocalhostProfile()).orElse("")).build());
            default -> Optional.empty();
        };
    }

    private static Optional<Long> runAsUser(Pod pod, Container container) {
        return effective(pod, container, SecurityContext::getRunAsUser, PodSecurityContext::getRunAsUser);
    }

    /** The container's own setting, else the pod's. */
    private static <T> Optional<T> effective(Pod pod, Container container, Function<SecurityContext, T> own,
                                             Function<PodSecurityContext, T> pods) {
        Optional<T> mine = Optional.ofNullable(container.getSecurityContext()).map(own);
        return mine.isPresent() ? mine : Optional.ofNullable(pod.getSpec().getSecurityContext()).map(pods);
    }

    /** The pod's supplementalGroups, then its fsGroup, which every container's processes also get. */
    private static List<Long> supplementalGroups(Pod pod) {
        List<Long> groups = new ArrayList<>();
        PodSecurityContext context = pod.getSpec().getSecurityContext();
        if (context != null) {
            Optional.ofNullable(context.getSupplementalGroups()).ifPresent(groups::addAll);
            if (context.getFsGroup() != null && !groups.contains(context.getFsGroup())) {
                groups.add(context.getFsGroup());
            }
        }
        return groups;
    }

    private static Stream<Container> allContainers(Pod pod) {
        return Stream.of(PodActionsPlanner.initContainers(pod), pod.getSpec().getContainers(), EphemeralContainers.of(pod))
                .flatMap(List::stream);
    }

    private static Int64Value int64(long value) {
        return Int64Value.newBuilder().setValue(value).build();
    }
}
