package dev.konductor.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FencepostsTest {

    static Deployment rolling(int replicas, IntOrString surge, IntOrString unavailable) {
        return new DeploymentBuilder().withNewMetadata().withName("web").endMetadata()
                .withNewSpec().withReplicas(replicas).withNewStrategy().withType("RollingUpdate")
                .withNewRollingUpdate().withMaxSurge(surge).withMaxUnavailable(unavailable).endRollingUpdate()
                .endStrategy().endSpec().build();
    }

    static IntOrString value(String text) {
        return text.endsWith("%") ? new IntOrString(text) : new IntOrString(Integer.parseInt(text));
    }

    @ParameterizedTest(name = "{0} replicas, surge {1}, unavailable {2} -> {3}/{4}")
    @CsvSource({
            "3, 25%, 25%, 1, 0",     // surge rounds up, unavailability down
            "10, 25%, 25%, 3, 2",
            "4, 0, 0%, 0, 1",        // both zero: unavailability becomes 1
            "1, 0%, 10%, 0, 1",
            "10, 3, 2, 3, 2",
            "2, 1, 5, 1, 2",         // never more unavailable than desired
            "0, 25%, 25%, 0, 0"})
    void resolvesPercentagesAsUpstream(int replicas, String surge, String unavailable, int expectedSurge,
                                        int expectedUnavailable) {
        Deployment d = rolling(replicas, value(surge), value(unavailable));
        assertThat(Fenceposts.maxSurge(d)).isEqualTo(expectedSurge);
        assertThat(Fenceposts.maxUnavailable(d)).isEqualTo(expectedUnavailable);
    }

    @ParameterizedTest
    @CsvSource({"3", "10"})
    void recreateHasNoSurgeOrUnavailability(int replicas) {
        Deployment d = new DeploymentBuilder(rolling(replicas, value("25%"), value("25%"))).editSpec().editStrategy()
                .withType("Recreate").withRollingUpdate(null).endStrategy().endSpec().build();
        assertThat(Fenceposts.maxSurge(d)).isZero();
        assertThat(Fenceposts.maxUnavailable(d)).isZero();
    }
}
