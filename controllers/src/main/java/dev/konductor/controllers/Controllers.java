package dev.konductor.controllers;

import dev.konductor.controllers.framework.Controller;
import java.util.ArrayList;
import java.util.List;

/** Every controller the controller manager runs, freshly made (one list per leadership term). */
public final class Controllers {

    private Controllers() {
    }

    public static List<Controller> all() {
        List<Controller> all = new ArrayList<>();
        // one line per controller, each in its own package
        all.add(new dev.konductor.controllers.endpoints.EndpointsController());
        all.add(new dev.konductor.controllers.endpointslice.EndpointSliceController());
        all.add(new dev.konductor.controllers.disruption.DisruptionController());
        all.add(new dev.konductor.controllers.nodelifecycle.NodeLifecycleController());
        all.add(new dev.konductor.controllers.tainteviction.TaintEvictionController());
        all.add(new dev.konductor.controllers.podgc.PodGcController());
        return all;
    }
}
