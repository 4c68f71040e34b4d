package dev.konductor.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.function.Predicate;

/** Whether a pod's tolerations tolerate a node's taints (upstream's v1helper toleration rules). */
final class Tolerations {

    private Tolerations() {
    }

    static boolean tolerates(Toleration t, Taint taint) {
        String effect = t.getEffect() == null ? "" : t.getEffect();
        if (!effect.isEmpty() && !effect.equals(taint.getEffect())) {
            return false;
        }
        String key = t.getKey() == null ? "" : t.getKey();
        String operator = t.getOperator() == null || t.getOperator().isEmpty() ? "Equal" : t.getOperator();
        if (!key.isEmpty() && !key.equals(taint.getKey())) {
            return false;
        }
        if (key.isEmpty() && !operator.equals("Exists")) {
            return false;
        }
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> nullToEmpty(t.getValue()).equals(nullToEmpty(taint.getValue()));
            default -> false;
        };
    }

    static boolean tolerated(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return false;
        }
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first taint passing {@code which} that no toleration tolerates, or null. */
    static Taint firstUntolerated(List<Taint> taints, List<Toleration> tolerations, Predicate<Taint> which) {
        if (taints == null) {
            return null;
        }
        for (Taint taint : taints) {
            if (which.test(taint) && !tolerated(tolerations, taint)) {
                return taint;
            }
        }
        return null;
    }

    static boolean noScheduleOrNoExecute(Taint t) {
        return "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
