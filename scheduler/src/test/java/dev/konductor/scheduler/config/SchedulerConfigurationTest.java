package dev.konductor.scheduler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.scheduler.plugins.ScoringStrategy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchedulerConfigurationTest {

    @Test
    void mostAllocatedFromNodeResourcesFitArgs() {
        SchedulerConfiguration c = SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                podMaxBackoffSeconds: 20
                profiles:
                - schedulerName: default-scheduler
                  plugins:
                    score:
                      disabled:
                      - name: NodeResourcesBalancedAllocation
                  pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: MostAllocated
                        resources:
                        - name: cpu
                          weight: 3
                        - name: memory
                          weight: 1
                """);
        assertThat(c.scoringStrategy().type()).isEqualTo(ScoringStrategy.Type.MostAllocated);
        assertThat(c.scoringStrategy().resources()).containsExactly(
                new ScoringStrategy.ResourceWeight("cpu", 3), new ScoringStrategy.ResourceWeight("memory", 1));
        assertThat(c.isDisabled("score", "NodeResourcesBalancedAllocation")).isTrue();
        assertThat(c.isDisabled("score", "NodeResourcesFit")).isFalse();
        assertThat(c.podMaxBackoff()).isEqualTo(Duration.ofSeconds(20));
        assertThat(c.podInitialBackoff()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void defaultsAreLeastAllocatedAndSystemSpreading() {
        SchedulerConfiguration c = SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                """);
        assertThat(c.scoringStrategy()).isEqualTo(ScoringStrategy.DEFAULT);
        assertThat(c.spreadSystemDefault()).isTrue();
        assertThat(c.spreadDefaults()).hasSize(2);
        assertThat(c.schedulerName()).isEqualTo("default-scheduler");
    }

    @Test
    void listDefaultConstraints() {
        SchedulerConfiguration c = SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - pluginConfig:
                  - name: PodTopologySpread
                    args:
                      defaultingType: List
                      defaultConstraints:
                      - maxSkew: 1
                        topologyKey: topology.kubernetes.io/zone
                        whenUnsatisfiable: DoNotSchedule
                """);
        assertThat(c.spreadSystemDefault()).isFalse();
        assertThat(c.spreadDefaults()).singleElement().satisfies(t -> {
            assertThat(t.getMaxSkew()).isEqualTo(1);
            assertThat(t.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
        });
    }

    @Test
    void badFilesFailLoudly() {
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1beta3
                kind: KubeSchedulerConfiguration
                """)).hasMessageContaining("expected apiVersion kubescheduler.config.k8s.io/v1");
        assertThatThrownBy(() -> SchedulerConfiguration.parse("""
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - pluginConfig:
                  - name: NodeResourcesFit
                    args:
                      scoringStrategy:
                        type: Fancy
                """)).hasMessageContaining("scoringStrategy.type: Unsupported value: \"Fancy\"");
    }
}
