package dev.konductor.controllers.serviceaccount;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Handlers;
import dev.konductor.controllers.framework.Keys;
import dev.konductor.controllers.framework.Lister;
import dev.konductor.controllers.framework.Reconciler.Result;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Upstream's serviceaccount-controller: every Active namespace has the {@code default}
 * ServiceAccount; one that is deleted is made again.
 */
public final class ServiceAccountsController implements Controller {

    /** The accounts every namespace gets (upstream's default list holds just this one). */
    static final List<String> MANAGED = List.of("default");

    private KubernetesClient client;
    private Lister<Namespace> namespaces;
    private Lister<ServiceAccount> accounts;
    private ControllerLoop loop;

    @Override
    public String name() {
        return "serviceaccount-controller";
    }

    @Override
    public void start(ControllerContext context) {
        client = context.client();
        namespaces = context.informers().lister(Namespace.class);
        accounts = context.informers().lister(ServiceAccount.class);
        loop = new ControllerLoop(name(), this::reconcile, context.settings().workers());
        context.informers().of(Namespace.class).addEventHandler(
                Handlers.onAddOrUpdate((Namespace x) -> loop.enqueue(x.getMetadata().getName())));
        context.informers().of(ServiceAccount.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ServiceAccount sa) {
            }

            @Override
            public void onUpdate(ServiceAccount oldSa, ServiceAccount sa) {
            }

            @Override
            public void onDelete(ServiceAccount sa, boolean finalStateUnknown) {
                if (MANAGED.contains(sa.getMetadata().getName())) {
                    loop.enqueue(sa.getMetadata().getNamespace());
                }
            }
        });
        loop.start(context.informers()::synced);
    }

    /** Creates the managed accounts missing from namespace {@code key}, if it is Active. */
    Result reconcile(String key) {
        return reconcile(key, namespaces.get(key), name -> accounts.get(Keys.of(key, name)).isPresent());
    }

    Result reconcile(String namespace, Optional<Namespace> ns, Predicate<String> exists) {
        if (ns.isEmpty() || ns.get().getStatus() == null || !"Active".equals(ns.get().getStatus().getPhase())
                || ns.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.done();
        }
        for (String name : MANAGED) {
            if (exists.test(name)) {
                continue;
            }
            try {
                client.serviceAccounts().inNamespace(namespace).resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName(name).withNamespace(namespace).endMetadata().build()).create();
            } catch (KubernetesClientException e) {
                // already there (our cache was behind), or the namespace started terminating meanwhile
                if (e.getCode() != 409 && !terminating(e)) {
                    throw e;
                }
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
