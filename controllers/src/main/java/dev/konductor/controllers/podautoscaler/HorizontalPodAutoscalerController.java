package dev.konductor.controllers.podautoscaler;

import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.framework.ControllerContext;
import dev.konductor.controllers.framework.ControllerLoop;
import dev.konductor.controllers.framework.Keys;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;

/**
 * The HorizontalPodAutoscaler controller (upstream's horizontal-pod-autoscaler): every 15 s, and
 * whenever an HPA changes, sets its target's replicas from the metrics.k8s.io resource metrics of
 * the target's pods. See {@link Autoscaler} for one sync.
 */
public final class HorizontalPodAutoscalerController implements Controller {

    public static final String NAME = "horizontal-pod-autoscaler";

    private ControllerLoop loop;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void start(ControllerContext context) {
        KubernetesClient client = context.client();
        Autoscaler autoscaler = new Autoscaler(
                context.informers().lister(HorizontalPodAutoscaler.class),
                context.informers().lister(Pod.class),
                ScaleTargets.of(client),
                PodMetricsSource.of(client),
                hpa -> writeStatus(client, hpa),
                context.events(NAME)::record,
                context.clock(),
                ScalingRules.DEFAULT_DOWNSCALE_STABILIZATION);
        loop = new ControllerLoop(NAME, autoscaler, context.settings().workers());
        context.informers().of(HorizontalPodAutoscaler.class).addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(HorizontalPodAutoscaler hpa) {
                loop.enqueue(Keys.of(hpa));
            }

            @Override
            public void onUpdate(HorizontalPodAutoscaler oldHpa, HorizontalPodAutoscaler newHpa) {
                // status writes come back as updates: only a spec change needs an early sync
                if (!java.util.Objects.equals(oldHpa.getSpec(), newHpa.getSpec())) {
                    loop.enqueue(Keys.of(newHpa));
                }
            }

            @Override
            public void onDelete(HorizontalPodAutoscaler hpa, boolean finalStateUnknown) {
                loop.enqueue(Keys.of(hpa));
            }
        });
        loop.start(context.informers()::synced);
    }

    private static void writeStatus(KubernetesClient client, HorizontalPodAutoscaler hpa) {
        try {
            client.resources(HorizontalPodAutoscaler.class).inNamespace(hpa.getMetadata().getNamespace())
                    .resource(hpa).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e; // a conflict: the key is retried from the newer cached object
            }
        }
    }

    @Override
    public void close() {
        if (loop != null) {
            loop.close();
        }
    }
}
