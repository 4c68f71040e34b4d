package dev.konductor.scheduler;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the scheduler runs.
 *
 * @param identity   this process's name in the leader-election Lease
 * @param configFile a KubeSchedulerConfiguration file (scoring strategy, ...); empty for defaults
 */
public record SchedulerSettings(String identity, Optional<Path> configFile) {
}
