package dev.konductor.scheduler.preemption;

import dev.konductor.scheduler.framework.PodInfo;
import java.util.List;

/**
 * A node where the preemptor would fit once {@code victims} are gone.
 *
 * @param victims           most important first
 * @param pdbViolations     how many victims' eviction would break a PodDisruptionBudget
 */
record Candidate(String node, List<PodInfo> victims, int pdbViolations) {
}
