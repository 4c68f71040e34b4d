package dev.konductor.controllers.rootcacertpublisher;

import dev.konductor.controllers.framework.ClusterCa;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's root-ca-cert-publisher: the {@code kube-root-ca.crt} ConfigMap in every namespace,
 * holding the CA that verifies the API server ({@code ca.crt}), so pods can trust
 * {@code kubernetes.default.svc}. The CA is the one the controller manager's own client trusts
 * (its kubeconfig's certificate authority); without one, the publisher stays idle.
 */
public final class RootCaCertPublisher implements Controller {

    static final String NAME = "kube-root-ca.crt";
    static final String DESCRIPTION_ANNOTATION = "kubernetes.io/description";
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using "
            + "internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
            + "guaranteed across distributions of Kubernetes clusters.";

    private static final Logger log = LoggerFactory.getLogger(RootCaCertPublisher.class);

    private final String givenCa;
    private String rootCa;
    private KubernetesClient client;
    private Lister<Namespace> namespaces;
    private Lister<ConfigMap> configMaps;
    private ControllerLoop loop;

    public RootCaCertPublisher() {
        this(null);
    }

    /** @param rootCa the PEM to publish; null: the CA of the controller manager's client */
    RootCaCertPublisher(String rootCa) {
        this.givenCa = rootCa;
    }

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public void start(ControllerContext context) {
        rootCa = givenCa != null ? givenCa : ClusterCa.pemOf(context.client().getConfiguration()).orElse(null);
        if (rootCa == null || rootCa.isBlank()) {
            log.info("root-ca-cert-publisher: the controller manager's client has no CA; not publishing {}", NAME);
            return;
        }
        client = context.client();
        namespaces = context.informers().lister(Namespace.class);
        configMaps = context.informers().lister(ConfigMap.class);
        loop = new ControllerLoop(name(), this::reconcile, context.settings().workers());
        context.informers().of(Namespace.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Namespace ns) {
                loop.enqueue(ns.getMetadata().getName());
            }

            @Override
            public void onUpdate(Namespace oldNs, Namespace ns) {
                if (ns.getStatus() != null && "Active".equals(ns.getStatus().getPhase())) {
                    loop.enqueue(ns.getMetadata().getName());
                }
            }

            @Override
            public void onDelete(Namespace ns, boolean finalStateUnknown) {
            }
        });
        context.informers().of(ConfigMap.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
            }

            @Override
            public void onUpdate(ConfigMap oldCm, ConfigMap cm) {
                enqueueIfOurs(cm);
            }

            @Override
            public void onDelete(ConfigMap cm, boolean finalStateUnknown) {
                enqueueIfOurs(cm);
            }
        });
        loop.start(context.informers()::synced);
    }

    private void enqueueIfOurs(ConfigMap cm) {
        if (NAME.equals(cm.getMetadata().getName())) {
            loop.enqueue(cm.getMetadata().getNamespace());
        }
    }

    /** Creates or repairs the ConfigMap in namespace {@code key}. */
    Result reconcile(String key) {
        Optional<Namespace> ns = namespaces.get(key);
        if (ns.isEmpty() || ns.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        Map<String, String> data = Map.of("ca.crt", rootCa);
        Optional<ConfigMap> existing = configMaps.get(Keys.of(key, NAME));
        try {
            if (existing.isEmpty()) {
                client.configMaps().inNamespace(key).resource(new ConfigMapBuilder().withNewMetadata().withName(NAME)
                        .withNamespace(key).addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata()
                        .withData(data).build()).create();
                return Result.done();
            }
            ConfigMap cm = existing.get();
            Map<String, String> annotations = cm.getMetadata().getAnnotations();
            if (data.equals(cm.getData()) && annotations != null
                    && annotations.get(DESCRIPTION_ANNOTATION) != null && !annotations.get(DESCRIPTION_ANNOTATION).isEmpty()) {
                return Result.done();
            }
            client.configMaps().inNamespace(key).resource(new ConfigMapBuilder(cm).withData(data).editMetadata()
                    .addToAnnotations(DESCRIPTION_ANNOTATION, DESCRIPTION).endMetadata().build()).update();
        } catch (KubernetesClientException e) {
            // the namespace went away or is terminating: nothing to publish into
            if (e.getCode() != 404 && !terminating(e)) {
                throw e;
            }
        }
        return Result.done();
    }

    private static boolean terminating(KubernetesClientException e) {
        return e.getCode() == 403 && e.getStatus() != null && e.getStatus().getDetails() != null
                && e.getStatus().getDetails().getCauses() != null && e.getStatus().getDetails().getCauses().stream()
                .anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
