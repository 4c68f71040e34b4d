package dev.konductor.kubelet.node;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The node's Lease in {@code kube-node-lease}, held by the node and owned by its Node object, as
 * upstream's node lease controller keeps it: renewed every {@link #RENEW_INTERVAL} (a quarter of
 * its 40 s duration), which is the heartbeat the node lifecycle controller watches.
 */
final class NodeLease {

    static final Duration RENEW_INTERVAL = Duration.ofSeconds(10);
    static final int DURATION_SECONDS = 40;
    static final String NAMESPACE = "kube-node-lease";

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private Lease last; // the version this node last wrote; guarded by this

    NodeLease(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Renews the lease (creating it if missing); a conflicting writer makes it start again from the server's copy. */
    synchronized void renew(String nodeUid) {
        var leases = client.leases().inNamespace(NAMESPACE);
        ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                if (last == null) {
                    last = leases.withName(nodeName).get();
                }
                if (last == null) {
                    last = leases.resource(new LeaseBuilder()
                            .withNewMetadata().withName(nodeName).withNamespace(NAMESPACE)
                            .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(nodeName)
                            .withUid(nodeUid).endOwnerReference()
                            .endMetadata()
                            .withNewSpec().withHolderIdentity(nodeName).withLeaseDurationSeconds(DURATION_SECONDS)
                            .withRenewTime(now).endSpec()
                            .build()).create();
                    return;
                }
                last = leases.resource(new LeaseBuilder(last).editSpec().withHolderIdentity(nodeName)
                        .withLeaseDurationSeconds(DURATION_SECONDS).withRenewTime(now).endSpec().build()).update();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                last = null;
            }
        }
        throw new IllegalStateException("the Lease of node " + nodeName + " keeps changing under us");
    }
}
