package dev.konductor.api.defaults;

import static dev.konductor.api.meta.TestObjects.type;
import static dev.konductor.api.meta.TestObjects.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DefaulterTest {

    private final Defaulter defaulter = new Defaulter();

    private ObjectNode defaulted(String apiVersion, String kind, String body) {
        ObjectNode obj = yaml("apiVersion: " + apiVersion + "\nkind: " + kind + "\n" + body);
        defaulter.apply(type(apiVersion, kind), obj);
        return obj;
    }

    @Test
    void podGetsUpstreamDefaults() {
        ObjectNode pod = defaulted("v1", "Pod", """
                metadata: {name: web, namespace: default}
                spec:
                  containers:
                  - name: nginx
                    image: nginx
                    ports: [{containerPort: 80}]
                    livenessProbe: {httpGet: {port: 80}}
                    env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}]
                    resources: {limits: {cpu: "1"}}
                  volumes:
                  - {name: cfg, configMap: {name: cfg}}
                  - {name: scratch}
                  - {name: host, hostPath: {path: /tmp}}
                """);
        assertThat(pod.at("/spec")).isEqualTo(yaml("""
                containers:
                - name: nginx
                  image: nginx
                  ports: [{containerPort: 80, protocol: TCP}]
                  livenessProbe: {httpGet: {port: 80, path: /, scheme: HTTP}, timeoutSeconds: 1, periodSeconds: 10,
                                  successThreshold: 1, failureThreshold: 3}
                  env: [{name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName, apiVersion: v1}}}]
                  resources: {limits: {cpu: "1"}, requests: {cpu: "1"}}
                  imagePullPolicy: Always
                  terminationMessagePath: /dev/termination-log
                  terminationMessagePolicy: File
                volumes:
                - {name: cfg, configMap: {name: cfg, defaultMode: 420}}
                - {name: scratch, emptyDir: {}}
                - {name: host, hostPath: {path: /tmp, type: ""}}
                dnsPolicy: ClusterFirst
                restartPolicy: Always
                securityContext: {}
                terminationGracePeriodSeconds: 30
                schedulerName: default-scheduler
                enableServiceLinks: true
                priority: 0
                preemptionPolicy: PreemptLowerPriority
                """));
    }

    @Test
    void imagePullPolicyFollowsTheTag() {
        assertThat(PodDefaults.imageTag("nginx")).isEqualTo("latest");
        assertThat(PodDefaults.imageTag("nginx:1.27")).isEqualTo("1.27");
        assertThat(PodDefaults.imageTag("registry:5000/nginx")).isEqualTo("latest");
        assertThat(PodDefaults.imageTag("nginx@sha256:abc")).isEmpty();
        ObjectNode pod = defaulted("v1", "Pod", "spec: {containers: [{name: a, image: 'nginx:1.27'}]}");
        assertThat(pod.at("/spec/containers/0/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
    }

    @Test
    void deploymentTemplateGetsPodSpecDefaultsButNotPodOnlyOnes() {
        ObjectNode d = defaulted("apps/v1", "Deployment", """
                metadata: {name: web}
                spec:
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec: {containers: [{name: web, image: nginx, resources: {limits: {cpu: "1"}}}]}
                """);
        assertThat(d.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(d.at("/spec/strategy")).isEqualTo(yaml("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 25%, maxSurge: 25%}}"));
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isEqualTo(10);
        assertThat(d.at("/spec/progressDeadlineSeconds").asInt()).isEqualTo(600);
        assertThat(d.at("/spec/template/metadata/creationTimestamp").isNull()).isTrue();
        assertThat(d.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Always");
        assertThat(d.at("/spec/template/spec/enableServiceLinks").isMissingNode()).isTrue();
        assertThat(d.at("/spec/template/spec/containers/0/resources/requests").isMissingNode()).isTrue();
    }

    @Test
    void recreateDeploymentGetsNoRollingUpdate() {
        ObjectNode d = defaulted("apps/v1", "Deployment", "spec: {strategy: {type: Recreate}}");
        assertThat(d.at("/spec/strategy")).isEqualTo(yaml("{type: Recreate}"));
    }

    @Test
    void statefulSetAndDaemonSet() {
        ObjectNode sts = defaulted("apps/v1", "StatefulSet", """
                spec:
                  template: {spec: {containers: [{name: a, image: a}]}}
                  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]
                """);
        assertThat(sts.at("/spec/podManagementPolicy").asText()).isEqualTo("OrderedReady");
        assertThat(sts.at("/spec/updateStrategy")).isEqualTo(yaml("{type: RollingUpdate, rollingUpdate: {partition: 0}}"));
        assertThat(sts.at("/spec/persistentVolumeClaimRetentionPolicy"))
                .isEqualTo(yaml("{whenDeleted: Retain, whenScaled: Retain}"));
        assertThat(sts.at("/spec/volumeClaimTemplates/0/spec/volumeMode").asText()).isEqualTo("Filesystem");
        assertThat(sts.at("/spec/volumeClaimTemplates/0/status/phase").asText()).isEqualTo("Pending");
        ObjectNode ds = defaulted("apps/v1", "DaemonSet", "spec: {}");
        assertThat(ds.at("/spec/updateStrategy")).isEqualTo(yaml("{type: RollingUpdate, rollingUpdate: {maxUnavailable: 1, maxSurge: 0}}"));
    }

    @Test
    void jobDefaultsAndGeneratedSelector() {
        ObjectNode job = defaulted("batch/v1", "Job", """
                metadata: {name: pi, uid: '1234'}
                spec: {template: {spec: {restartPolicy: Never, containers: [{name: pi, image: perl}]}}}
                """);
        assertThat(job.at("/spec/completions").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(1);
        assertThat(job.at("/spec/backoffLimit").asInt()).isEqualTo(6);
        assertThat(job.at("/spec/completionMode").asText()).isEqualTo("NonIndexed");
        assertThat(job.at("/spec/suspend").asBoolean(true)).isFalse();
        assertThat(job.at("/spec/podReplacementPolicy").asText()).isEqualTo("TerminatingOrFailed");
        assertThat(job.at("/spec/selector")).isEqualTo(yaml("matchLabels: {batch.kubernetes.io/controller-uid: '1234'}"));
        assertThat(job.at("/spec/template/metadata/labels")).isEqualTo(yaml("""
                {job-name: pi, batch.kubernetes.io/job-name: pi, controller-uid: '1234', batch.kubernetes.io/controller-uid: '1234'}
                """));
        assertThat(job.at("/metadata/labels")).isEqualTo(job.at("/spec/template/metadata/labels"));
        assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
    }

    @Test
    void workQueueJobKeepsCompletionsUnset() {
        ObjectNode job = defaulted("batch/v1", "Job", "spec: {parallelism: 3}");
        assertThat(job.at("/spec/completions").isMissingNode()).isTrue();
        assertThat(job.at("/spec/parallelism").asInt()).isEqualTo(3);
    }

    @Test
    void cronJobDefaultsPodTemplateButNotJobSpec() {
        ObjectNode cj = defaulted("batch/v1", "CronJob", """
                spec: {schedule: '* * * * *', jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: a}]}}}}}
                """);
        assertThat(cj.at("/spec/concurrencyPolicy").asText()).isEqualTo("Allow");
        assertThat(cj.at("/spec/successfulJobsHistoryLimit").asInt()).isEqualTo(3);
        assertThat(cj.at("/spec/failedJobsHistoryLimit").asInt()).isEqualTo(1);
        assertThat(cj.at("/spec/jobTemplate/spec/backoffLimit").isMissingNode()).isTrue();
        assertThat(cj.at("/spec/jobTemplate/spec/template/spec/dnsPolicy").asText()).isEqualTo("ClusterFirst");
    }

    @Test
    void serviceDefaults() {
        ObjectNode svc = defaulted("v1", "Service", "spec: {selector: {app: web}, ports: [{port: 80}, {port: 443, targetPort: https}]}");
        assertThat(svc.at("/spec")).isEqualTo(yaml("""
                selector: {app: web}
                ports: [{port: 80, protocol: TCP, targetPort: 80}, {port: 443, targetPort: https, protocol: TCP}]
                sessionAffinity: None
                type: ClusterIP
                internalTrafficPolicy: Cluster
                ipFamilyPolicy: SingleStack
                ipFamilies: [IPv4]
                """));
        ObjectNode nodePort = defaulted("v1", "Service", "spec: {type: NodePort, ports: [{port: 80}]}");
        assertThat(nodePort.at("/spec/externalTrafficPolicy").asText()).isEqualTo("Cluster");
        ObjectNode external = defaulted("v1", "Service", "spec: {type: ExternalName, externalName: example.com}");
        assertThat(external.at("/spec/ipFamilies").isMissingNode()).isTrue();
        assertThat(external.at("/spec/internalTrafficPolicy").isMissingNode()).isTrue();
    }

    @Test
    void namespaceSecretAndClaims() {
        ObjectNode ns = defaulted("v1", "Namespace", "metadata: {name: team-a}");
        assertThat(ns.at("/metadata/labels/kubernetes.io~1metadata.name").asText()).isEqualTo("team-a");
        assertThat(ns.at("/spec/finalizers/0").asText()).isEqualTo("kubernetes");
        assertThat(ns.at("/status/phase").asText()).isEqualTo("Active");
        ObjectNode secret = defaulted("v1", "Secret", "stringData: {password: s3cret}");
        assertThat(secret.at("/type").asText()).isEqualTo("Opaque");
        assertThat(secret.at("/data/password").asText()).isEqualTo("czNjcmV0");
        assertThat(secret.has("stringData")).isFalse();
        ObjectNode pv = defaulted("v1", "PersistentVolume", "spec: {hostPath: {path: /data}}");
        assertThat(pv.at("/spec/persistentVolumeReclaimPolicy").asText()).isEqualTo("Retain");
        assertThat(pv.at("/status/phase").asText()).isEqualTo("Pending");
    }

    @Test
    void limitRangeDefaultsRequestsFromLimits() {
        ObjectNode lr = defaulted("v1", "LimitRange", "spec: {limits: [{type: Container, max: {cpu: '2'}, min: {memory: 1Mi}}]}");
        assertThat(lr.at("/spec/limits/0/default")).isEqualTo(yaml("{cpu: '2'}"));
        assertThat(lr.at("/spec/limits/0/defaultRequest")).isEqualTo(yaml("{cpu: '2', memory: 1Mi}"));
    }

    @Test
    void hpaV2DefaultsMetricsAndBehavior() {
        ObjectNode hpa = defaulted("autoscaling/v2", "HorizontalPodAutoscaler", "spec: {maxReplicas: 5, behavior: {scaleDown: {stabilizationWindowSeconds: 60}}}");
        assertThat(hpa.at("/spec/minReplicas").asInt()).isEqualTo(1);
        assertThat(hpa.at("/spec/metrics/0")).isEqualTo(
                yaml("{type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 80}}}"));
        assertThat(hpa.at("/spec/behavior")).isEqualTo(yaml("""
                scaleDown: {stabilizationWindowSeconds: 60, selectPolicy: Max, policies: [{type: Percent, value: 100, periodSeconds: 15}]}
                scaleUp: {stabilizationWindowSeconds: 0, selectPolicy: Max,
                          policies: [{type: Pods, value: 4, periodSeconds: 15}, {type: Percent, value: 100, periodSeconds: 15}]}
                """));
    }

    @Test
    void networkPolicyTypesDerivedFromRules() {
        ObjectNode onlyIngress = defaulted("networking.k8s.io/v1", "NetworkPolicy", "spec: {podSelector: {}}");
        assertThat(onlyIngress.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");
        ObjectNode both = defaulted("networking.k8s.io/v1", "NetworkPolicy", "spec: {egress: [{ports: [{port: 53}]}]}");
        assertThat(both.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\",\"Egress\"]");
        assertThat(both.at("/spec/egress/0/ports/0/protocol").asText()).isEqualTo("TCP");
    }

    @Test
    void clusterKinds() {
        assertThat(defaulted("scheduling.k8s.io/v1", "PriorityClass", "value: 10").at("/preemptionPolicy").asText())
                .isEqualTo("PreemptLowerPriority");
        ObjectNode sc = defaulted("storage.k8s.io/v1", "StorageClass", "provisioner: x");
        assertThat(sc.at("/reclaimPolicy").asText()).isEqualTo("Delete");
        assertThat(sc.at("/volumeBindingMode").asText()).isEqualTo("Immediate");
        ObjectNode rb = defaulted("rbac.authorization.k8s.io/v1", "RoleBinding",
                "roleRef: {kind: Role, name: r}\nsubjects: [{kind: User, name: u}, {kind: ServiceAccount, name: s}]");
        assertThat(rb.at("/roleRef/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(rb.at("/subjects/0/apiGroup").asText()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(rb.at("/subjects/1/apiGroup").asText()).isEmpty();
        ObjectNode slice = defaulted("discovery.k8s.io/v1", "EndpointSlice", "addressType: IPv4\nports: [{port: 80}]");
        assertThat(slice.at("/ports/0")).isEqualTo(yaml("{port: 80, name: '', protocol: TCP}"));
    }

    @Test
    void neverOverwritesUserValues() {
        ObjectNode d = defaulted("apps/v1", "Deployment", """
                spec:
                  replicas: 0
                  revisionHistoryLimit: 0
                  strategy: {rollingUpdate: {maxSurge: 0}}
                  template: {spec: {restartPolicy: Never, terminationGracePeriodSeconds: 0,
                                    containers: [{name: a, image: a, imagePullPolicy: Never}]}}
                """);
        assertThat(d.at("/spec/replicas").asInt()).isZero();
        assertThat(d.at("/spec/revisionHistoryLimit").asInt()).isZero();
        assertThat(d.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isZero();
        assertThat(d.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
        assertThat(d.at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isZero();
        assertThat(d.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Never");
    }

    static Stream<Arguments> everyKind() {
        String pod = "{containers: [{name: a, image: a, ports: [{containerPort: 1}], readinessProbe: {tcpSocket: {port: 1}}}]}";
        return Stream.of(
                Arguments.of("v1", "Pod", "metadata: {name: p}\nspec: " + pod),
                Arguments.of("v1", "ReplicationController", "spec: {template: {metadata: {labels: {a: b}}, spec: " + pod + "}}"),
                Arguments.of("v1", "PodTemplate", "template: {spec: " + pod + "}"),
                Arguments.of("v1", "Service", "spec: {type: LoadBalancer, sessionAffinity: ClientIP, ports: [{port: 1}]}"),
                Arguments.of("v1", "Namespace", "metadata: {name: n}"),
                Arguments.of("v1", "Secret", "stringData: {a: b}"),
                Arguments.of("v1", "LimitRange", "spec: {limits: [{type: Container, max: {cpu: '1'}}]}"),
                Arguments.of("v1", "PersistentVolumeClaim", "spec: {}"),
                Arguments.of("apps/v1", "Deployment", "spec: {template: {spec: " + pod + "}}"),
                Arguments.of("apps/v1", "StatefulSet", "spec: {volumeClaimTemplates: [{spec: {}}], template: {spec: " + pod + "}}"),
                Arguments.of("apps/v1", "DaemonSet", "spec: {template: {spec: " + pod + "}}"),
                Arguments.of("apps/v1", "ReplicaSet", "spec: {template: {spec: " + pod + "}}"),
                Arguments.of("batch/v1", "Job", "metadata: {name: j, uid: u}\nspec: {template: {spec: " + pod + "}}"),
                Arguments.of("batch/v1", "CronJob", "spec: {jobTemplate: {spec: {template: {spec: " + pod + "}}}}"),
                Arguments.of("autoscaling/v2", "HorizontalPodAutoscaler", "spec: {behavior: {}}"),
                Arguments.of("autoscaling/v1", "HorizontalPodAutoscaler", "spec: {}"),
                Arguments.of("policy/v1", "PodDisruptionBudget", "spec: {}"),
                Arguments.of("networking.k8s.io/v1", "NetworkPolicy", "spec: {egress: [{}]}"),
                Arguments.of("apiextensions.k8s.io/v1", "CustomResourceDefinition", "spec: {names: {kind: Foo}}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("everyKind")
    void isIdempotent(String apiVersion, String kind, String body) {
        ObjectNode once = defaulted(apiVersion, kind, body);
        ObjectNode twice = once.deepCopy();
        defaulter.apply(type(apiVersion, kind), twice);
        assertThat(twice).isEqualTo(once);
    }
}
