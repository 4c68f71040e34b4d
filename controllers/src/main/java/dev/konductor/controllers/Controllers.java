package dev.konductor.controllers;

import dev.konductor.controllers.cronjob.CronJobController;
import dev.konductor.controllers.deployment.DeploymentController;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.garbagecollector.GarbageCollector;
import dev.konductor.controllers.job.JobController;
import dev.konductor.controllers.namespace.NamespaceController;
import dev.konductor.controllers.replicaset.ReplicaSetController;
import dev.konductor.controllers.resourcequota.ResourceQuotaController;
import dev.konductor.controllers.rootcacertpublisher.RootCaCertPublisher;
import dev.konductor.controllers.serviceaccount.ServiceAccountsController;
import dev.konductor.controllers.serviceaccounttoken.TokensController;
import dev.konductor.controllers.daemonset.DaemonSetController;
import dev.konductor.controllers.framework.Controller;
import dev.konductor.controllers.statefulset.StatefulSetController;
import java.util.ArrayList;
import java.util.List;

/** Every controller the controller manager runs, freshly made (one list per leadership term). */
public final class Controllers {

    private Controllers() {
    }

    public static List<Controller> all() {
        return all(dev.konductor.controllers.nodeipam.NodeIpamSettings.defaults());
    }

    /** Every controller, the node IPAM controller handing out ranges of {@code ipam}'s cluster CIDR. */
    public static List<Controller> all(dev.konductor.controllers.nodeipam.NodeIpamSettings ipam) {
        List<Controller> all = new ArrayList<>();
        // one line per controller, each in its own package
        all.add(new NamespaceController());
        all.add(new GarbageCollector());
        all.add(new ServiceAccountsController());
        all.add(new TokensController());
        all.add(new RootCaCertPublisher());
        all.add(new ReplicaSetController());
        all.add(new DeploymentController());
        all.add(new JobController());
        all.add(new CronJobController());
        all.add(new ResourceQuotaController());
        all.add(new DaemonSetController());
        all.add(new StatefulSetController());
        all.add(new dev.konductor.controllers.podautoscaler.HorizontalPodAutoscalerController());
        all.add(new dev.konductor.controllers.endpoints.EndpointsController());
        all.add(new dev.konductor.controllers.endpointslice.EndpointSliceController());
        all.add(new dev.konductor.controllers.disruption.DisruptionController());
        all.add(new dev.konductor.controllers.nodelifecycle.NodeLifecycleController());
        all.add(new dev.konductor.controllers.tainteviction.TaintEvictionController());
        all.add(new dev.konductor.controllers.podgc.PodGcController());
        all.add(new dev.konductor.controllers.nodeipam.NodeIpamController(ipam));
        all.add(new dev.konductor.controllers.persistentvolume.PersistentVolumeController());
        all.add(new dev.konductor.controllers.provisioner.HostPathProvisioner());
        all.add(new dev.konductor.controllers.clusterroleaggregation.ClusterRoleAggregationController());
        return all;
    }
}
