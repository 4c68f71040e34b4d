package dev.konductor.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;

/**
 * maxSurge and maxUnavailable resolved to pod counts, as upstream: a percentage of the desired
 * replicas, surge rounded up and unavailability rounded down; if both come to zero,
 * unavailability becomes 1 so that a rollout can always move.
 */
final class Fenceposts {

    private Fenceposts() {
    }

    /** How many pods above the desired count a rolling update may run; 0 for Recreate. */
    static int maxSurge(Deployment d) {
        if (!isRollingUpdate(d)) {
            return 0;
        }
        return resolve(d)[0];
    }

    /** How many desired pods a rolling update may have unavailable; at most the desired count. */
    static int maxUnavailable(Deployment d) {
        int replicas = Deployments.replicas(d);
        if (!isRollingUpdate(d) || replicas == 0) {
            return 0;
        }
        return Math.min(resolve(d)[1], replicas);
    }

    static boolean isRollingUpdate(Deployment d) {
        return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null
                || "RollingUpdate".equals(d.getSpec().getStrategy().getType());
    }

    private static int[] resolve(Deployment d) {
        RollingUpdateDeployment rolling = d.getSpec().getStrategy() == null ? null
                : d.getSpec().getStrategy().getRollingUpdate();
        int desired = Deployments.replicas(d);
        int surge = scaled(rolling == null ? null : rolling.getMaxSurge(), desired, true);
        int unavailable = scaled(rolling == null ? null : rolling.getMaxUnavailable(), desired, false);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }

    /** An absolute count, or a percentage of {@code total} rounded up or down; unset is 0. */
    static int scaled(IntOrString value, int total, boolean roundUp) {
        if (value == null) {
            return 0;
        }
        if (value.getIntVal() != null) {
            return value.getIntVal();
        }
        String text = value.getStrVal();
        if (text == null || !text.endsWith("%")) {
            throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
        }
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        double exact = (double) percent * total / 100;
        return (int) (roundUp ? Math.ceil(exact) : Math.floor(exact));
    }
}
