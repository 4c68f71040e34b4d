package dev.konductor.controllers.disruption;

import dev.konductor.controllers.framework.OwnerRefs;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many pods a PodDisruptionBudget expects and how many of them must stay healthy
 * (upstream's getExpectedPodCount). An integer minAvailable needs nothing but the pods; a
 * percentage, or maxUnavailable, is taken of the scale of the pods' controllers (a Deployment
 * counted once however many ReplicaSets it has), rounding up.
 *
 * @param expectedCount  status.expectedPods
 * @param desiredHealthy status.desiredHealthy
 * @param unmanagedPods  selected pods without a controller (they count for nothing in a scale)
 */
record ExpectedPods(int expectedCount, int desiredHealthy, List<String> unmanagedPods) {

    /** A controller found for a pod: its uid (the Deployment's for a Deployment's ReplicaSet) and scale. */
    record ControllerScale(String uid, int replicas) {
    }

    /** Finds the scale of the controller a pod's controller reference names. */
    @FunctionalInterface
    interface ScaleFinder {
        /** Empty when no such controller exists (or it has another uid). */
        Optional<ControllerScale> find(String namespace, OwnerReference controllerRef);
    }

    /** The expected count could not be worked out; the budget then allows no disruption. */
    static final class ExpectedCountException extends Exception {
        ExpectedCountException(String message) {
            super(message);
        }
    }

    static ExpectedPods of(PodDisruptionBudget pdb, List<Pod> pods, ScaleFinder finder)
            throws ExpectedCountException {
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        if (maxUnavailable != null) {
            ExpectedPods scale = fromControllers(pods, finder);
            int unavailable = scaled(maxUnavailable, scale.expectedCount);
            return new ExpectedPods(scale.expectedCount, Math.max(0, scale.expectedCount - unavailable),
                    scale.unmanagedPods);
        }
        if (minAvailable != null) {
            if (minAvailable.getStrVal() == null) {
                return new ExpectedPods(pods.size(), minAvailable.getIntVal() == null ? 0 : minAvailable.getIntVal(),
                        List.of());
            }
            ExpectedPods scale = fromControllers(pods, finder);
            return new ExpectedPods(scale.expectedCount, scaled(minAvailable, scale.expectedCount), scale.unmanagedPods);
        }
        return new ExpectedPods(0, 0, List.of());
    }

    private static ExpectedPods fromControllers(List<Pod> pods, ScaleFinder finder) throws ExpectedCountException {
        Map<String, Integer> scaleByController = new LinkedHashMap<>();
        List<String> seenRefs = new ArrayList<>();
        List<String> unmanaged = new ArrayList<>();
        for (Pod pod : pods) {
            Optional<OwnerReference> ref = OwnerRefs.controllerOf(pod);
            if (ref.isEmpty()) {
                unmanaged.add(pod.getMetadata().getName());
                continue;
            }
            if (seenRefs.contains(ref.get().getUid())) {
                continue;
            }
            Optional<ControllerScale> scale = finder.find(pod.getMetadata().getNamespace(), ref.get());
            if (scale.isEmpty()) {
                throw new ExpectedCountException("found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
            }
            seenRefs.add(ref.get().getUid());
            scaleByController.put(scale.get().uid(), scale.get().replicas());
        }
        int expected = scaleByController.values().stream().mapToInt(Integer::intValue).sum();
        return new ExpectedPods(expected, 0, unmanaged);
    }

    /** An integer as is, or a percentage of {@code total} rounded up. */
    static int scaled(IntOrString value, int total) throws ExpectedCountException {
        if (value.getStrVal() == null) {
            return value.getIntVal() == null ? 0 : value.getIntVal();
        }
        String text = value.getStrVal();
        if (!text.endsWith("%")) {
            throw new ExpectedCountException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        try {
            int percent = Integer.parseInt(text.substring(0, text.length() - 1));
            return (int) Math.ceil(percent * (double) total / 100);
        } catch (NumberFormatException e) {
            throw new ExpectedCountException("invalid value \"" + text + "\": " + e.getMessage());
        }
    }
}
