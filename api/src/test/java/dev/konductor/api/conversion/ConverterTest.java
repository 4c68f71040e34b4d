package dev.konductor.api.conversion;

import static dev.konductor.api.meta.TestObjects.type;
import static dev.konductor.api.meta.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class ConverterTest {

    private final Converter converter = new Converter();

    @Test
    void hpaV1CpuTargetBecomesAV2ResourceMetric() {
        ObjectNode v1 = yaml("""
                apiVersion: autoscaling/v1
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: d}
                spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 5,
                       targetCPUUtilizationPercentage: 50}
                status: {currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 40}
                """);
        ObjectNode v2 = converter.toStorage(type("autoscaling/v1", "HorizontalPodAutoscaler"), v1);
        assertThat(v2.get("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(v2.at("/spec/metrics")).isEqualTo(yaml("""
                m: [{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}}]
                """).get("m"));
        assertThat(v2.at("/status/currentMetrics")).isEqualTo(yaml("""
                m: [{type: Resource, resource: {name: cpu, current: {averageUtilization: 40}}}]
                """).get("m"));
        assertThat(v2.at("/spec/targetCPUUtilizationPercentage").isMissingNode()).isTrue();
        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).as("input untouched").isEqualTo(50);
        ObjectNode back = converter.fromStorage(type("autoscaling/v1", "HorizontalPodAutoscaler"), v2);
        assertThat(back.at("/spec")).isEqualTo(v1.at("/spec"));
        assertThat(back.at("/status/currentCPUUtilizationPercentage").asInt()).isEqualTo(40);
    }

    @Test
    void hpaV2OnlyFieldsSurviveARoundTripThroughV1() {
        ObjectNode v2 = yaml("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web, namespace: d, annotations: {keep: me}}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 1
                  maxReplicas: 5
                  metrics:
                  - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}}
                  - {type: Pods, pods: {metric: {name: qps}, target: {type: AverageValue, averageValue: '10'}}}
                  behavior: {scaleDown: {stabilizationWindowSeconds: 30}}
                status:
                  desiredReplicas: 2
                  conditions: [{type: AbleToScale, status: 'True', reason: Ready}]
                """);
        ObjectNode v1 = converter.fromStorage(type("autoscaling/v1", "HorizontalPodAutoscaler"), v2);
        assertThat(v1.get("apiVersion").asText()).isEqualTo("autoscaling/v1");
        assertThat(v1.at("/spec/targetCPUUtilizationPercentage").asInt()).isEqualTo(60);
        assertThat(v1.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1metrics").asText())
                .isEqualTo("[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"qps\",\"targetAverageValue\":\"10\"}}]");
        assertThat(v1.at("/metadata/annotations/autoscaling.alpha.kubernetes.io~1behavior").asText())
                .isEqualTo("{\"scaleDown\":{\"stabilizationWindowSeconds\":30}}");
        assertThat(v1.at("/spec/metrics").isMissingNode()).isTrue();

        ObjectNode again = converter.toStorage(type("autoscaling/v1", "HorizontalPodAutoscaler"), v1);
        assertThat(again.at("/spec/metrics/0")).isEqualTo(v2.at("/spec/metrics/1"));
        assertThat(again.at("/spec/metrics/1")).isEqualTo(v2.at("/spec/metrics/0"));
        assertThat(again.at("/spec/behavior")).isEqualTo(v2.at("/spec/behavior"));
        assertThat(again.at("/status/conditions")).isEqualTo(v2.at("/status/conditions"));
        assertThat(again.at("/metadata/annotations")).isEqualTo(yaml("{keep: me}"));
    }

    @Test
    void eventsV1MapsToCoreEventFields() {
        ObjectNode ev = yaml("""
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: web.1, namespace: d}
                eventTime: '2024-01-01T00:00:00.000000Z'
                regarding: {kind: Pod, name: web, namespace: d}
                note: Started container
                reason: Started
                type: Normal
                action: Start
                reportingController: kubelet
                reportingInstance: node-a
                deprecatedCount: 3
                deprecatedSource: {component: kubelet, host: node-a}
                series: {count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z'}
                """);
        ObjectNode core = converter.toStorage(type("events.k8s.io/v1", "Event"), ev);
        assertThat(core).isEqualTo(yaml("""
                apiVersion: v1
                kind: Event
                metadata: {name: web.1, namespace: d}
                eventTime: '2024-01-01T00:00:00.000000Z'
                involvedObject: {kind: Pod, name: web, namespace: d}
                message: Started container
                reason: Started
                type: Normal
                action: Start
                reportingComponent: kubelet
                reportingInstance: node-a
                count: 3
                source: {component: kubelet, host: node-a}
                series: {count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z'}
                firstTimestamp: null
                lastTimestamp: null
                """));
        ObjectNode back = converter.fromStorage(type("events.k8s.io/v1", "Event"), core);
        ev.putNull("deprecatedFirstTimestamp");
        ev.putNull("deprecatedLastTimestamp");
        assertThat(back).isEqualTo(ev);
    }

    @Test
    void coreEventReadThroughEventsApiDropsEmptyStrings() {
        ObjectNode core = yaml("""
                apiVersion: v1
                kind: Event
                metadata: {name: e, namespace: d}
                involvedObject: {kind: Pod, name: web}
                message: hi
                reason: Pulled
                source: {component: kubelet}
                firstTimestamp: '2024-01-01T00:00:00Z'
                reportingComponent: ''
                reportingInstance: ''
                """);
        ObjectNode ev = converter.fromStorage(type("events.k8s.io/v1", "Event"), core);
        assertThat(ev.has("reportingController")).isFalse();
        assertThat(ev.at("/deprecatedFirstTimestamp").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(ev.at("/eventTime").isNull()).isTrue();
        assertThat(ev.at("/note").asText()).isEqualTo("hi");
    }

    @Test
    void identityForOtherKindsReturnsTheSameObject() {
        ObjectNode pod = yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}");
        assertThat(converter.toStorage(type("v1", "Pod"), pod)).isSameAs(pod);
        assertThat(converter.fromStorage(type("apps/v1", "Deployment"), yaml("kind: Deployment\nmetadata: {name: d}"))
                .get("apiVersion").asText()).isEqualTo("apps/v1");
    }
}
