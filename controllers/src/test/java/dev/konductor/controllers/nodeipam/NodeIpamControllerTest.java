package dev.konductor.controllers.nodeipam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.impl.cache.CacheImpl;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The reconcile logic over a hand-fed node cache, a recording writer and a recording event sink. */
class NodeIpamControllerTest {

    private final CacheImpl<Node> cache = new CacheImpl<>(Cache.NAMESPACE_INDEX, Cache::metaNamespaceIndexFunc,
            Cache::metaNamespaceKeyFunc);
    private final AtomicBoolean synced = new AtomicBoolean(true);
    private final Map<String, List<String>> written = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();
    private final List<String> enqueued = new ArrayList<>();
    private RuntimeException writeFailure;

    private NodeIpamController controller(NodeIpamSettings settings) {
        return new NodeIpamController(settings, new Lister<>(cache), synced::get, (node, cidrs) -> {
            if (writeFailure != null) {
                throw writeFailure;
            }
            written.put(node, cidrs);
            // what the API server stores; the cache learns it only when a test says so
        }, (node, type, reason, message) -> events.add(type + " " + reason + " " + message), enqueued::add);
    }

    @Test
    void givesEachNodeItsOwnRangeAndKeepsWhatNodesAlreadyHave() {
        cache.put(node("a", "10.244.0.0/24"));
        cache.put(node("sim", "198.18.1.0/25"));
        cache.put(node("b"));
        cache.put(node("c"));
        NodeIpamController controller = controller(NodeIpamSettings.defaults());

        for (String name : List.of("a", "sim", "b", "c")) {
            assertThat(controller.reconcile(name)).isEqualTo(Result.done());
        }

        assertThat(written).containsOnlyKeys("b", "c");
        assertThat(written.get("b")).containsExactly("10.244.1.0/24");
        assertThat(written.get("c")).containsExactly("10.244.2.0/24");
        assertThat(events).isEmpty();
    }

    @Test
    void waitsForACompleteCacheBeforeHandingOutAnything() {
        synced.set(false);
        cache.put(node("new"));
        NodeIpamController controller = controller(NodeIpamSettings.defaults());
        assertThat(controller.reconcile("new").requeues()).isTrue();
        assertThat(written).isEmpty();

        // the full list shows a node that already holds the first range
        cache.put(node("old", "10.244.0.0/24"));
        synced.set(true);
        controller.reconcile("new");
        assertThat(written.get("new")).containsExactly("10.244.1.0/24");
    }

    @Test
    void aStaleCacheGetsTheSameRangeAgainNotASecondOne() {
        cache.put(node("a"));
        NodeIpamController controller = controller(NodeIpamSettings.defaults());
        controller.reconcile("a");
        written.clear();
        controller.reconcile("a"); // the cache has not seen the write yet
        assertThat(written.get("a")).containsExactly("10.244.0.0/24");

        cache.put(node("b"));
        controller.reconcile("b");
        assertThat(written.get("b")).containsExactly("10.244.1.0/24");
    }

    @Test
    void exhaustionIsReportedAndAFreedRangeGoesToTheWaitingNode() {
        NodeIpamController controller = controller(new NodeIpamSettings(List.of("10.0.0.0/23"), 24, 64));
        for (String name : List.of("a", "b", "c")) {
            cache.put(node(name));
        }
        controller.reconcile("a");
        controller.reconcile("b");
        cache.put(node("a", written.get("a").getFirst()));
        cache.put(node("b", written.get("b").getFirst()));

        assertThatThrownBy(() -> controller.reconcile("c")).hasMessageContaining("10.0.0.0/23 is full");
        assertThat(events).containsExactly("Normal CIDRNotAvailable Node c status is now: CIDRNotAvailable");

        cache.remove(cache.getByKey("a"));
        controller.reconcile("a");
        assertThat(enqueued).containsExactly("c");
        controller.reconcile("c");
        assertThat(written.get("c")).containsExactly("10.0.0.0/24");
    }

    @Test
    void aRefusedWriteIsReportedAndItsRangeGoesBack() {
        NodeIpamController controller = controller(NodeIpamSettings.defaults());
        cache.put(node("a"));
        writeFailure = new KubernetesClientException("node updates may not change podCIDR", 422, null);
        assertThatThrownBy(() -> controller.reconcile("a")).isSameAs(writeFailure);
        assertThat(events).containsExactly("Normal CIDRAssignmentFailed Node a status is now: CIDRAssignmentFailed");

        writeFailure = null;
        cache.put(node("b"));
        controller.reconcile("b");
        assertThat(written.get("b")).as("the refused range is free again").containsExactly("10.244.1.0/24");
    }

    @Test
    void whenTheOutcomeIsUnknownTheRetryWritesTheSameRange() {
        NodeIpamController controller = controller(NodeIpamSettings.defaults());
        cache.put(node("a"));
        writeFailure = new KubernetesClientException("timeout", 504, null);
        assertThatThrownBy(() -> controller.reconcile("a")).isSameAs(writeFailure);
        writeFailure = null;
        controller.reconcile("a");
        assertThat(written.get("a")).containsExactly("10.244.0.0/24");
    }

    @Test
    void dualStackNodesGetOneRangeOfEachFamily() {
        NodeIpamController controller = controller(NodeIpamSettings.of("10.244.0.0/16,fd00:10:244::/56", 24, 64));
        cache.put(node("a"));
        cache.put(node("b"));
        controller.reconcile("a");
        controller.reconcile("b");
        assertThat(written.get("a")).containsExactly("10.244.0.0/24", "fd00:10:244::/64");
        assertThat(written.get("b")).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");
    }

    @Test
    void aNodeRecreatedUnderTheSameNameGetsAFreshRange() {
        NodeIpamController controller = controller(new NodeIpamSettings(List.of("10.0.0.0/23"), 24, 64));
        cache.put(node("a"));
        controller.reconcile("a");
        Node again = node("a");
        again.getMetadata().setUid("uid-a-2");
        cache.put(again);
        controller.reconcile("a");
        assertThat(written.get("a")).containsExactly("10.0.1.0/24");
        cache.put(node("b"));
        controller.reconcile("b");
        assertThat(written.get("b")).as("the first incarnation's range was released").containsExactly("10.0.0.0/24");
    }

    private static Node node(String name, String... cidrs) {
        NodeBuilder builder = new NodeBuilder().withNewMetadata().withName(name).withUid("uid-" + name).endMetadata();
        if (cidrs.length > 0) {
            builder.withNewSpec().withPodCIDR(cidrs[0]).withPodCIDRs(cidrs).endSpec();
        } else {
            builder.withNewSpec().endSpec();
        }
        return builder.build();
    }
}
