package dev.konductor.kubelet.pods;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Objects;

/**
 * Which updates of a pod from the API give its worker something to do, as upstream's pod
 * config decides (podsDifferSemantically): a change of spec, labels, annotations or deletion.
 * A change of status alone (the kubelet's own status writes, above all) or of bookkeeping
 * (resourceVersion, managedFields) is not one: the worker reads the newest status at its next
 * sync anyway. Pure.
 */
final class PodUpdates {

    private PodUpdates() {
    }

    static boolean differSemantically(Pod before, Pod after) {
        if (before == null) {
            return true;
        }
        ObjectMeta a = before.getMetadata();
        ObjectMeta b = after.getMetadata();
        return !Objects.equals(before.getSpec(), after.getSpec())
                || !Objects.equals(orEmpty(a.getLabels()), orEmpty(b.getLabels()))
                || !Objects.equals(orEmpty(a.getAnnotations()), orEmpty(b.getAnnotations()))
                || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp())
                || !Objects.equals(a.getDeletionGracePeriodSeconds(), b.getDeletionGracePeriodSeconds());
    }

    private static Map<String, String> orEmpty(Map<String, String> map) {
        return map == null ? Map.of() : map;
    }
}
