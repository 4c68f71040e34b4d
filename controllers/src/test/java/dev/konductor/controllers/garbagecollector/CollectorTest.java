package dev.konductor.controllers.garbagecollector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.controllers.framework.ApiDiscovery.ApiResource;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Collector} over a fake cache and a fake API: what it reads, what it writes. */
class CollectorTest {

    static final ApiResource CONFIGMAPS = new ApiResource("", "v1", "configmaps", "ConfigMap", true,
            Set.of("list", "watch", "delete", "get", "patch"));
    static final ApiResource REPLICASETS = new ApiResource("apps", "v1", "replicasets", "ReplicaSet", true,
            Set.of("list", "watch", "delete", "get", "patch"));
    static final ApiResource NODES = new ApiResource("", "v1", "nodes", "Node", false,
            Set.of("list", "watch", "delete", "get", "patch"));

    private final FakeGraph graph = new FakeGraph();
    private final FakeApi api = new FakeApi();
    private final List<ObjectRef> enqueued = new ArrayList<>();
    private final List<String> invalid = new ArrayList<>();
    private final Collector collector = new Collector(graph, api, enqueued::add, (obj, msg) -> invalid.add(msg));

    @Test
    void aDependentWhoseOwnerIsCachedIsLeftAloneWithoutAsking() {
        GenericKubernetesResource owner = put(REPLICASETS, obj("rs", "uid-rs"), true);
        GenericKubernetesResource pod = put(CONFIGMAPS, obj("cm", "uid-cm", ref(owner, true)), true);

        assertThat(collector.reconcile(refOf(CONFIGMAPS, pod))).isEqualTo(Result.done());
        assertThat(api.calls).isEmpty();
    }

    @Test
    void anOwnerMissingFromTheCacheButAliveIsNotCondemned() {
        GenericKubernetesResource owner = put(REPLICASETS, obj("rs", "uid-rs"), false);
        GenericKubernetesResource dependent = put(CONFIGMAPS, obj("cm", "uid-cm", ref(owner, true)), true);

        collector.reconcile(refOf(CONFIGMAPS, dependent));

        assertThat(api.calls).containsExactly("get replicasets.apps rs");
    }

    @Test
    void aDependentOfAGoneOwnerIsDeletedWithItsUidAsPrecondition() {
        OwnerReference gone = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("rs").withUid("uid-gone").build();
        GenericKubernetesResource a = put(CONFIGMAPS, obj("a", "uid-a", gone), true);
        GenericKubernetesResource b = put(CONFIGMAPS, obj("b", "uid-b", gone), true);

        collector.reconcile(refOf(CONFIGMAPS, a));
        collector.reconcile(refOf(CONFIGMAPS, b));

        assertThat(api.calls).containsExactly("get replicasets.apps rs", "get configmaps. a",
                "delete configmaps. a uid=uid-a Background",
                // the owner is remembered absent: no second look
                "get configmaps. b", "delete configmaps. b uid=uid-b Background");
    }

    @Test
    void anOwnerReplacedUnderTheSameNameCountsAsGone() {
        put(REPLICASETS, obj("rs", "uid-new"), true);
        OwnerReference old = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("rs").withUid("uid-old").build();
        GenericKubernetesResource dependent = put(CONFIGMAPS, obj("cm", "uid-cm", old), true);

        collector.reconcile(refOf(CONFIGMAPS, dependent));

        assertThat(api.calls).contains("delete configmaps. cm uid=uid-cm Background");
    }

    @Test
    void aStaleCacheNeverDeletesWhatHasMeanwhileBeenOrphaned() {
        OwnerReference gone = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("rs").withUid("uid-gone").build();
        GenericKubernetesResource cached = obj("cm", "uid-cm", gone);
        graph.put(CONFIGMAPS, cached);
        api.live.put("configmaps./default/cm", obj("cm", "uid-cm"));

        collector.reconcile(refOf(CONFIGMAPS, cached));

        assertThat(api.calls).noneMatch(c -> c.startsWith("delete"));
    }

    @Test
    void aDependentWithAnotherLiveOwnerOnlyLosesTheDeadReference() {
        GenericKubernetesResource alive = put(REPLICASETS, obj("alive", "uid-alive"), true);
        OwnerReference gone = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet")
                .withName("dead").withUid("uid-dead").build();
        GenericKubernetesResource dependent = put(CONFIGMAPS, obj("cm", "uid-cm", ref(alive, false), gone), true);

        collector.reconcile(refOf(CONFIGMAPS, dependent));

        assertThat(api.calls).contains("setOwnerReferences configmaps. cm [alive]");
    }

    @Test
    void orphaningStripsReferencesThenRemovesTheFinalizer() {
        GenericKubernetesResource owner = put(REPLICASETS, deleting(obj("rs", "uid-rs"), "orphan"), true);
        put(CONFIGMAPS, obj("a", "uid-a", ref(owner, true)), true);

        collector.reconcile(refOf(REPLICASETS, owner));

        assertThat(api.calls).containsExactly("setOwnerReferences configmaps. a []", "get replicasets.apps rs",
                "removeFinalizer replicasets.apps rs orphan");
    }

    @Test
    void foregroundDeletionQueuesDependentsAndWaitsForBlockingOnes() {
        GenericKubernetesResource owner = put(REPLICASETS, deleting(obj("rs", "uid-rs"), "foregroundDeletion"), true);
        GenericKubernetesResource blocking = put(CONFIGMAPS, obj("a", "uid-a", ref(owner, true)), true);

        collector.reconcile(refOf(REPLICASETS, owner));

        assertThat(enqueued).containsExactly(refOf(CONFIGMAPS, blocking));
        assertThat(api.calls).isEmpty();

        // the dependent, seeing its owner wait, is deleted (in the background: it owns nothing)
        collector.reconcile(refOf(CONFIGMAPS, blocking));
        assertThat(api.calls).contains("delete configmaps. a uid=uid-a Background");
    }

    @Test
    void aWaitingOwnersDependentThatOwnsOthersIsDeletedInTheForegroundToo() {
        GenericKubernetesResource owner = put(REPLICASETS, deleting(obj("rs", "uid-rs"), "foregroundDeletion"), true);
        GenericKubernetesResource middle = put(CONFIGMAPS, obj("mid", "uid-mid", ref(owner, true)), true);
        put(CONFIGMAPS, obj("leaf", "uid-leaf", ref(middle, true)), true);

        collector.reconcile(refOf(CONFIGMAPS, middle));

        assertThat(api.calls).contains("delete configmaps. mid uid=uid-mid Foreground");
    }

    @Test
    void foregroundDeletionFinishesWhenNoDependentBlocks() {
        GenericKubernetesResource owner = put(REPLICASETS, deleting(obj("rs", "uid-rs"), "foregroundDeletion"), true);
        put(CONFIGMAPS, deleting(obj("a", "uid-a", ref(owner, false)), "example.com/hold"), true);

        collector.reconcile(refOf(REPLICASETS, owner));

        assertThat(enqueued).as("a dependent already being deleted is not queued again").isEmpty();
        assertThat(api.calls).containsExactly("get replicasets.apps rs",
                "removeFinalizer replicasets.apps rs foregroundDeletion");
    }

    @Test
    void finalizersWaitForEveryMonitorToHaveListed() {
        graph.synced = false;
        GenericKubernetesResource owner = put(REPLICASETS, deleting(obj("rs", "uid-rs"), "orphan"), true);

        assertThat(collector.reconcile(refOf(REPLICASETS, owner)).requeues()).isTrue();
        assertThat(api.calls).isEmpty();
    }

    @Test
    void aClusterScopedDependentOfANamespacedOwnerIsReportedAndKept() {
        GenericKubernetesResource owner = put(REPLICASETS, obj("rs", "uid-rs"), false);
        GenericKubernetesResource node = obj("n1", "uid-n1", ref(owner, false));
        node.getMetadata().setNamespace(null);
        graph.put(NODES, node);

        collector.reconcile(refOf(NODES, node));

        assertThat(invalid).hasSize(1);
        assertThat(api.calls).isEmpty();
    }

    @Test
    void anOwnerOfAnUnknownKindIsRetried() {
        OwnerReference unknown = new OwnerReferenceBuilder().withApiVersion("example.com/v1").withKind("Widget")
                .withName("w").withUid("uid-w").build();
        GenericKubernetesResource dependent = put(CONFIGMAPS, obj("cm", "uid-cm", unknown), true);

        assertThatThrownBy(() -> collector.reconcile(refOf(CONFIGMAPS, dependent)))
                .hasMessageContaining("unknown owner kind example.com/v1/Widget");
    }

    // --- fixtures

    private GenericKubernetesResource put(ApiResource resource, GenericKubernetesResource obj, boolean cached) {
        if (cached) {
            graph.put(resource, obj);
        }
        api.live.put(resource.groupResource() + "/" + nsOf(obj) + "/" + obj.getMetadata().getName(), obj);
        return obj;
    }

    private static String nsOf(GenericKubernetesResource obj) {
        return obj.getMetadata().getNamespace() == null ? "" : obj.getMetadata().getNamespace();
    }

    static ObjectRef refOf(ApiResource resource, GenericKubernetesResource obj) {
        return ObjectRef.of(resource, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    static GenericKubernetesResource obj(String name, String uid, OwnerReference... owners) {
        return new GenericKubernetesResourceBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withUid(uid).withResourceVersion("1").withOwnerReferences(owners).endMetadata().build();
    }

    static GenericKubernetesResource deleting(GenericKubernetesResource obj, String finalizer) {
        obj.getMetadata().setDeletionTimestamp("2025-01-01T00:00:00Z");
        obj.getMetadata().setFinalizers(new ArrayList<>(List.of(finalizer)));
        return obj;
    }

    static OwnerReference ref(GenericKubernetesResource owner, boolean block) {
        String kind = owner.getMetadata().getName().equals("rs") || owner.getMetadata().getName().equals("alive")
                ? "ReplicaSet" : "ConfigMap";
        return new OwnerReferenceBuilder().withApiVersion(kind.equals("ReplicaSet") ? "apps/v1" : "v1")
                .withKind(kind).withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
                .withBlockOwnerDeletion(block).build();
    }

    static final class FakeGraph implements ObjectGraph {
        final Map<ObjectRef, GenericKubernetesResource> objects = new HashMap<>();
        final List<ApiResource> resources = List.of(CONFIGMAPS, REPLICASETS, NODES);
        boolean synced = true;

        void put(ApiResource resource, GenericKubernetesResource obj) {
            objects.put(refOf(resource, obj), obj);
        }

        @Override
        public Optional<ApiResource> resourceForKind(String apiVersion, String kind) {
            return resources.stream().filter(r -> r.apiVersion().equals(apiVersion) && r.kind().equals(kind))
                    .findFirst();
        }

        @Override
        public Optional<ApiResource> resource(String group, String plural) {
            return resources.stream().filter(r -> r.group().equals(group) && r.plural().equals(plural)).findFirst();
        }

        @Override
        public Optional<GenericKubernetesResource> get(ObjectRef ref) {
            return Optional.ofNullable(objects.get(ref));
        }

        @Override
        public List<Node> dependents(String ownerUid) {
            return objects.entrySet().stream().filter(e -> e.getValue().getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> ownerUid.equals(r.getUid()))).map(e -> new Node(e.getKey(), e.getValue())).toList();
        }

        @Override
        public boolean synced() {
            return synced;
        }
    }

    static final class FakeApi implements GcApi {
        final Map<String, GenericKubernetesResource> live = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public Optional<GenericKubernetesResource> get(ApiResource resource, String namespace, String name) {
            calls.add("get " + resource.groupResource() + " " + name);
            return Optional.ofNullable(live.get(resource.groupResource() + "/" + (namespace == null ? "" : namespace)
                    + "/" + name));
        }

        @Override
        public void delete(ApiResource resource, String namespace, String name, String uid, String policy) {
            calls.add("delete " + resource.groupResource() + " " + name + " uid=" + uid + " " + policy);
        }

        @Override
        public void setOwnerReferences(ApiResource resource, GenericKubernetesResource object,
                                       List<OwnerReference> remaining) {
            calls.add("setOwnerReferences " + resource.groupResource() + " " + object.getMetadata().getName() + " "
                    + remaining.stream().map(OwnerReference::getName).toList().toString().replace(", ", ","));
        }

        @Override
        public void removeFinalizer(ApiResource resource, GenericKubernetesResource object, String finalizer) {
            calls.add("removeFinalizer " + resource.groupResource() + " " + object.getMetadata().getName() + " "
                    + finalizer);
        }
    }
}
