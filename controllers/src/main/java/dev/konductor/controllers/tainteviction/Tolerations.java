package dev.konductor.controllers.tainteviction;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Whether a pod's tolerations tolerate a node's NoExecute taints, and for how long. */
final class Tolerations {

    /** The verdict for one pod against a node's NoExecute taints. */
    sealed interface Verdict {
        /** Some taint is not tolerated: evict now. */
        record EvictNow() implements Verdict {
        }

        /** Every taint is tolerated, the tightest for this long. */
        record EvictAfter(Duration delay) implements Verdict {
        }

        /** Every taint is tolerated forever (or there are none). */
        record Stay() implements Verdict {
        }
    }

    private Tolerations() {
    }

    static boolean tolerates(Toleration toleration, Taint taint) {
        if (toleration.getEffect() != null && !toleration.getEffect().isEmpty()
                && !toleration.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (toleration.getKey() != null && !toleration.getKey().isEmpty() && !toleration.getKey().equals(taint.getKey())) {
            return false;
        }
        String operator = toleration.getOperator() == null || toleration.getOperator().isEmpty() ? "Equal"
                : toleration.getOperator();
        return switch (operator) {
            case "Exists" -> true;
            case "Equal" -> Objects.equals(emptyToNull(toleration.getValue()), emptyToNull(taint.getValue()));
            default -> false;
        };
    }

    /** Upstream's rule: the first toleration matching each taint counts; the shortest tolerationSeconds wins. */
    static Verdict judge(List<Toleration> tolerations, List<Taint> noExecuteTaints) {
        if (noExecuteTaints.isEmpty()) {
            return new Verdict.Stay();
        }
        List<Toleration> used = new ArrayList<>();
        for (Taint taint : noExecuteTaints) {
            Optional<Toleration> match = tolerations.stream().filter(t -> tolerates(t, taint)).findFirst();
            if (match.isEmpty()) {
                return new Verdict.EvictNow();
            }
            used.add(match.get());
        }
        Long shortest = null;
        for (Toleration t : used) {
            if (t.getTolerationSeconds() != null) {
                if (t.getTolerationSeconds() <= 0) {
                    return new Verdict.EvictAfter(Duration.ZERO);
                }
                shortest = shortest == null ? t.getTolerationSeconds() : Math.min(shortest, t.getTolerationSeconds());
            }
        }
        return shortest == null ? new Verdict.Stay() : new Verdict.EvictAfter(Duration.ofSeconds(shortest));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
