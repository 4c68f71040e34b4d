package dev.konductor.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CompletionIndexesTest {

    @Test
    void formatsRunsAsUpstreamDoes() {
        assertThat(CompletionIndexes.format(new TreeSet<>(java.util.List.of(0, 1, 3, 4, 5, 7)))).isEqualTo("0,1,3-5,7");
        assertThat(CompletionIndexes.format(new TreeSet<>())).isNull();
    }

    @Test
    void parsesAndDropsIndexesOutOfRange() {
        assertThat(CompletionIndexes.parse("0,1,3-5,7", 5)).containsExactly(0, 1, 3, 4);
        assertThat(CompletionIndexes.parse("x,2", 5)).containsExactly(2);
    }

    @Test
    void podFailureBackoffDoublesFromTenSecondsUpToTenMinutes() {
        JobController controller = new JobController();
        assertThat(controller.backoffDelay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(controller.backoffDelay(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(controller.backoffDelay(7)).isEqualTo(Duration.ofMinutes(10));
        assertThat(controller.backoffDelay(60)).isEqualTo(Duration.ofMinutes(10));
    }
}
