package dev.konductor.scheduler.framework;

import java.util.List;

/** The pods nominated to run on a node after preempting others there (status.nominatedNodeName). */
public interface Nominator {

    Nominator NONE = node -> List.of();

    List<PodInfo> nominatedPods(String node);
}
