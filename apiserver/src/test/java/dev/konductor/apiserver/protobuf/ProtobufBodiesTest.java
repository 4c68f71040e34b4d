package dev.konductor.apiserver.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnknownFieldSet;
import dev.konductor.api.resource.GroupVersionKind;
import dev.konductor.api.status.StatusException;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Autoscaling;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What {@code kubectl create deployment nginx --image=nginx} (1.32) puts on the wire. Go's
     * protobuf encoder writes every non-pointer field, so the empty strings, zero counters and
     * empty {@code Time} messages below are really there.
     */
    private static V1Apps.Deployment kubectlCreateDeployment() {
        Meta.ObjectMeta.Builder meta = Meta.ObjectMeta.newBuilder().setName("nginx").setGenerateName("")
                .setNamespace("").setSelfLink("").setUid("").setResourceVersion("").setGeneration(0)
                .setCreationTimestamp(Meta.Time.getDefaultInstance()).putLabels("app", "nginx");
        V1.Container container = V1.Container.newBuilder().setName("nginx").setImage("nginx")
                .setWorkingDir("").setResources(V1.ResourceRequirements.getDefaultInstance())
                .setTerminationMessagePath("").setImagePullPolicy("").setStdin(false).setTty(false).build();
        V1.PodTemplateSpec template = V1.PodTemplateSpec.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setCreationTimestamp(Meta.Time.getDefaultInstance())
                        .putLabels("app", "nginx"))
                .setSpec(V1.PodSpec.newBuilder().addContainers(container).setRestartPolicy("").setDnsPolicy(""))
                .build();
        return V1Apps.Deployment.newBuilder()
                .setMetadata(meta)
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(1)
                        .setSelector(Meta.LabelSelector.newBuilder().putMatchLabels("app", "nginx"))
                        .setTemplate(template)
                        .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType(""))
                        .setMinReadySeconds(0).setPaused(false))
                .setStatus(V1Apps.DeploymentStatus.newBuilder().setReplicas(0))
                .build();
    }

    @Test
    void decodesKubectlCreateDeploymentToTheJsonKubectlWouldHaveSent() throws IOException {
        JsonNode decoded = ProtobufBodies.decode(frame("apps/v1", "Deployment", kubectlCreateDeployment()));

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind":"Deployment","apiVersion":"apps/v1",
                 "metadata":{"name":"nginx","labels":{"app":"nginx"}},
                 "spec":{"replicas":1,"selector":{"matchLabels":{"app":"nginx"}},
                   "template":{"metadata":{"labels":{"app":"nginx"}},
                     "spec":{"containers":[{"name":"nginx","image":"nginx","resources":{}}]}},
                   "strategy":{}},
                 "status":{"replicas":0}}"""));
        assertThat(decoded.fieldNames()).toIterable().startsWith("kind", "apiVersion", "metadata");
    }

    @Test
    void keepsAnExplicitZeroReplicaCount() {
        V1Apps.Deployment scaledToZero = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("idle"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)).build();

        JsonNode decoded = ProtobufBodies.decode(frame("apps/v1", "Deployment", scaledToZero));

        assertThat(decoded.at("/spec/replicas").isInt()).isTrue();
        assertThat(decoded.at("/spec/replicas").intValue()).isZero();
    }

    @Test
    void decodesKubectlAutoscaleV1() throws IOException {
        V1Autoscaling.HorizontalPodAutoscaler hpa = V1Autoscaling.HorizontalPodAutoscaler.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web").setNamespace("")
                        .setCreationTimestamp(Meta.Time.getDefaultInstance()))
                .setSpec(V1Autoscaling.HorizontalPodAutoscalerSpec.newBuilder()
                        .setScaleTargetRef(V1Autoscaling.CrossVersionObjectReference.newBuilder()
                                .setKind("Deployment").setName("web").setApiVersion("apps/v1"))
                        .setMinReplicas(2).setMaxReplicas(5).setTargetCPUUtilizationPercentage(80))
                .setStatus(V1Autoscaling.HorizontalPodAutoscalerStatus.newBuilder()
                        .setCurrentReplicas(0).setDesiredReplicas(0))
                .build();

        JsonNode decoded = ProtobufBodies.decode(frame("autoscaling/v1", "HorizontalPodAutoscaler", hpa));

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v1","metadata":{"name":"web"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
                   "minReplicas":2,"maxReplicas":5,"targetCPUUtilizationPercentage":80},
                 "status":{"currentReplicas":0,"desiredReplicas":0}}"""));
    }

    /**
     * kubectl 1.33 sends autoscaling/v2, which client-java-proto lacks. The bytes are written by
     * hand from the upstream field numbers, independently of the descriptor under test.
     */
    @Test
    void decodesKubectlAutoscaleV2() throws IOException {
        byte[] target = message(w -> {
            w.writeString(1, "Utilization");
            w.writeInt32(4, 50);
        });
        byte[] metric = message(w -> {
            w.writeString(1, "Resource");
            w.writeByteArray(4, message(r -> {
                r.writeString(1, "cpu");
                r.writeByteArray(2, target);
            }));
        });
        byte[] spec = message(w -> {
            w.writeByteArray(1, message(ref -> {
                ref.writeString(1, "Deployment");
                ref.writeString(2, "web");
                ref.writeString(3, "apps/v1");
            }));
            w.writeInt32(2, 1);
            w.writeInt32(3, 10);
            w.writeByteArray(4, metric);
        });
        byte[] status = message(w -> {
            w.writeInt32(3, 0);
            w.writeInt32(4, 0);
        });
        byte[] hpa = message(w -> {
            w.writeMessage(1, Meta.ObjectMeta.newBuilder().setName("web").setNamespace("")
                    .setCreationTimestamp(Meta.Time.getDefaultInstance()).build());
            w.writeByteArray(2, spec);
            w.writeByteArray(3, status);
        });

        JsonNode decoded = ProtobufBodies.decode(frame("autoscaling/v2", "HorizontalPodAutoscaler", ByteString.copyFrom(hpa)));

        assertThat(decoded).isEqualTo(JSON.readTree("""
                {"kind":"HorizontalPodAutoscaler","apiVersion":"autoscaling/v2","metadata":{"name":"web"},
                 "spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},
                   "minReplicas":1,"maxReplicas":10,
                   "metrics":[{"type":"Resource","resource":{"name":"cpu",
                     "target":{"type":"Utilization","averageUtilization":50}}}]},
                 "status":{"currentReplicas":0,"desiredReplicas":0}}"""));
    }

    @Test
    void convertsApimachineryTypesToTheirJsonForms() {
        V1.Pod pod = V1.Pod.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1_700_000_000L).setNanos(0)))
                .setSpec(V1.PodSpec.newBuilder().addContainers(V1.Container.newBuilder().setName("web")
                        .setResources(V1.ResourceRequirements.newBuilder()
                                .putLimits("memory", Quantity.newBuilder().setString("128Mi").build()))
                        .setLivenessProbe(V1.Probe.newBuilder().setHandler(V1.ProbeHandler.newBuilder()
                                .setHttpGet(V1.HTTPGetAction.newBuilder().setPath("/healthz")
                                        .setPort(IntOrString.newBuilder().setType(1).setStrVal("http")))))
                        .addPorts(V1.ContainerPort.newBuilder().setContainerPort(8080).setName("http"))))
                .build();

        JsonNode decoded = ProtobufBodies.decode(frame("v1", "Pod", pod));

        assertThat(decoded.at("/metadata/creationTimestamp").asText()).isEqualTo("2023-11-14T22:13:20Z");
        JsonNode container = decoded.at("/spec/containers/0");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("128Mi");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("http");
        assertThat(container.at("/ports/0/containerPort").intValue()).isEqualTo(8080);
    }

    /** Embedded Go structs are spread into their parent in JSON, whatever protobuf calls them. */
    @Test
    void inlinesEmbeddedStructsAsJsonDoes() throws IOException {
        V1.PodSpec spec = V1.PodSpec.newBuilder()
                .addVolumes(V1.Volume.newBuilder().setName("config").setVolumeSource(V1.VolumeSource.newBuilder()
                        .setConfigMap(V1.ConfigMapVolumeSource.newBuilder().setLocalObjectReference(
                                V1.LocalObjectReference.newBuilder().setName("app-config")))))
                .addContainers(V1.Container.newBuilder().setName("web").addEnv(V1.EnvVar.newBuilder()
                        .setName("MODE").setValueFrom(V1.EnvVarSource.newBuilder().setConfigMapKeyRef(
                                V1.ConfigMapKeySelector.newBuilder().setKey("mode").setLocalObjectReference(
                                        V1.LocalObjectReference.newBuilder().setName("app-config"))))))
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("web")).setSpec(spec).build();

        JsonNode decoded = ProtobufBodies.decode(frame("v1", "Pod", pod));

        assertThat(decoded.at("/spec/volumes/0")).isEqualTo(JSON.readTree(
                "{\"name\":\"config\",\"configMap\":{\"name\":\"app-config\"}}"));
        assertThat(decoded.at("/spec/containers/0/env/0/valueFrom/configMapKeyRef")).isEqualTo(JSON.readTree(
                "{\"name\":\"app-config\",\"key\":\"mode\"}"));
    }

    @Test
    void intOrStringOfTypeIntIsANumber() {
        V1.Service service = V1.Service.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
                .setSpec(V1.ServiceSpec.newBuilder().addPorts(V1.ServicePort.newBuilder().setPort(80)
                        .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8080))))
                .build();

        JsonNode port = ProtobufBodies.decode(frame("v1", "Service", service)).at("/spec/ports/0/targetPort");

        assertThat(port.isInt()).isTrue();
        assertThat(port.intValue()).isEqualTo(8080);
    }

    @Test
    void secretBytesBecomeBase64AndEventMicroTimeKeepsMicroseconds() {
        V1.Secret secret = V1.Secret.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("s"))
                .putData("password", ByteString.copyFromUtf8("hunter2")).setType("Opaque").build();
        V1.Event event = V1.Event.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("e"))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1_700_000_000L).setNanos(123_456_000))
                .build();

        assertThat(ProtobufBodies.decode(frame("v1", "Secret", secret)).at("/data/password").asText())
                .isEqualTo("aHVudGVyMg==");
        assertThat(ProtobufBodies.decode(frame("v1", "Event", event)).at("/eventTime").asText())
                .isEqualTo("2023-11-14T22:13:20.123456Z");
    }

    @Test
    void rawExtensionCarriesEmbeddedJson() {
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web-1"))
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{\"spec\":{\"x\":1}}")))
                .setRevision(1).build();

        JsonNode decoded = ProtobufBodies.decode(frame("apps/v1", "ControllerRevision", revision));

        assertThat(decoded.at("/data/spec/x").intValue()).isEqualTo(1);
        assertThat(decoded.at("/revision").longValue()).isEqualTo(1L);
    }

    @Test
    void refusesFieldsThisServerDoesNotKnowRatherThanDroppingThem() {
        V1Apps.Deployment fromTheFuture = V1Apps.Deployment.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("web"))
                .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(1).setUnknownFields(
                        UnknownFieldSet.newBuilder().addField(42, UnknownFieldSet.Field.newBuilder()
                                .addVarint(7).build()).build()))
                .build();

        assertThatThrownBy(() -> ProtobufBodies.decode(frame("apps/v1", "Deployment", fromTheFuture)))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(400))
                .hasMessageContaining("field number 42 of k8s.io.api.apps.v1.DeploymentSpec");
    }

    @Test
    void rejectsBodiesWithoutTheMagicPrefix() {
        assertThatThrownBy(() -> ProtobufBodies.decode("{\"kind\":\"Pod\"}".getBytes()))
                .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.reason()).isEqualTo("BadRequest"))
                .hasMessageContaining("k8s\\0");
    }

    @Test
    void rejectsKindsWithoutAProtobufSchema() {
        assertThatThrownBy(() -> ProtobufBodies.decode(frame("coordination.k8s.io/v1", "Lease",
                Meta.ObjectMeta.getDefaultInstance())))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("no protobuf schema for coordination.k8s.io/v1, Kind=Lease");
    }

    @Test
    void rejectsTruncatedMessages() {
        ByteString truncated = kubectlCreateDeployment().toByteString().substring(0, 20);

        assertThatThrownBy(() -> ProtobufBodies.decode(frame("apps/v1", "Deployment", truncated)))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("unable to decode protobuf body as apps/v1, Kind=Deployment");
    }

    @Test
    void knowsTheKindsKubectlSendsAsProtobuf() {
        ProtobufBodies bodies = ProtobufBodies.standard();

        assertThat(bodies.supports(new GroupVersionKind("apps", "v1", "Deployment"))).isTrue();
        assertThat(bodies.supports(new GroupVersionKind("autoscaling", "v1", "HorizontalPodAutoscaler"))).isTrue();
        assertThat(bodies.supports(new GroupVersionKind("autoscaling", "v2", "HorizontalPodAutoscaler"))).isTrue();
        assertThat(bodies.supports(new GroupVersionKind("rbac.authorization.k8s.io", "v1", "ClusterRole"))).isTrue();
        assertThat(bodies.supports(new GroupVersionKind("", "v1", "PodTemplateSpec"))).isTrue();
        assertThat(bodies.supports(new GroupVersionKind("apps", "v1", "DeploymentSpec"))).isFalse();
    }

    private static byte[] frame(String apiVersion, String kind, MessageLite object) {
        return frame(apiVersion, kind, object.toByteString());
    }

    private static byte[] frame(String apiVersion, String kind, ByteString raw) {
        return withMagic(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).setContentEncoding("").setContentType("").build().toByteArray());
    }

    private static byte[] withMagic(byte[] unknown) {
        byte[] body = new byte[unknown.length + 4];
        body[0] = 'k';
        body[1] = '8';
        body[2] = 's';
        body[3] = 0;
        System.arraycopy(unknown, 0, body, 4, unknown.length);
        return body;
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        fields.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
