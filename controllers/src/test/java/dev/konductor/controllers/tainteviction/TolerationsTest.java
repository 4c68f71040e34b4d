package dev.konductor.controllers.tainteviction;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {

    private static final Taint UNREACHABLE = new TaintBuilder().withKey("node.kubernetes.io/unreachable")
            .withEffect("NoExecute").build();
    private static final Taint GPU = new TaintBuilder().withKey("gpu").withValue("a100").withEffect("NoExecute").build();

    private static Toleration exists(String key, Long seconds) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute")
                .withTolerationSeconds(seconds).build();
    }

    @Test
    void matchingFollowsKeyOperatorValueAndEffect() {
        assertThat(Tolerations.tolerates(exists("node.kubernetes.io/unreachable", null), UNREACHABLE)).isTrue();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withOperator("Exists").build(), GPU))
                .as("an empty key with Exists tolerates everything").isTrue();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withValue("a100").build(), GPU)).isTrue();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withValue("h100").build(), GPU)).isFalse();
        assertThat(Tolerations.tolerates(new TolerationBuilder().withKey("gpu").withOperator("Exists")
                .withEffect("NoSchedule").build(), GPU)).isFalse();
    }

    @Test
    void theVerdictTakesTheShortestTolerationAndEvictsUntoleratedAtOnce() {
        assertThat(Tolerations.judge(List.of(), List.of(UNREACHABLE))).isInstanceOf(Tolerations.Verdict.EvictNow.class);
        assertThat(Tolerations.judge(List.of(exists("node.kubernetes.io/unreachable", 300L)), List.of(UNREACHABLE)))
                .isEqualTo(new Tolerations.Verdict.EvictAfter(Duration.ofSeconds(300)));
        assertThat(Tolerations.judge(List.of(exists("node.kubernetes.io/unreachable", 300L), exists("gpu", 60L)),
                List.of(UNREACHABLE, GPU))).isEqualTo(new Tolerations.Verdict.EvictAfter(Duration.ofSeconds(60)));
        assertThat(Tolerations.judge(List.of(exists("gpu", null)), List.of(GPU)))
                .isInstanceOf(Tolerations.Verdict.Stay.class);
        assertThat(Tolerations.judge(List.of(), List.of())).isInstanceOf(Tolerations.Verdict.Stay.class);
    }
}
