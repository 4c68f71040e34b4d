package dev.konductor.scheduler;

import dev.konductor.scheduler.config.SchedulerConfiguration;
import dev.konductor.scheduler.framework.Framework;
import dev.konductor.scheduler.framework.LabelMatcher;
import dev.konductor.scheduler.framework.Plugin;
import dev.konductor.scheduler.framework.PodInfo;
import dev.konductor.scheduler.framework.PodWriter;
import dev.konductor.scheduler.plugins.BalancedAllocation;
import dev.konductor.scheduler.plugins.DefaultBinder;
import dev.konductor.scheduler.plugins.InterPodAffinity;
import dev.konductor.scheduler.plugins.NodeAffinityPlugin;
import dev.konductor.scheduler.plugins.NodeName;
import dev.konductor.scheduler.plugins.NodePorts;
import dev.konductor.scheduler.plugins.NodeResourcesFit;
import dev.konductor.scheduler.plugins.NodeUnschedulable;
import dev.konductor.scheduler.plugins.PodTopologySpread;
import dev.konductor.scheduler.plugins.TaintToleration;
import dev.konductor.scheduler.plugins.volumebinding.VolumeBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Upstream's default plugin set, in upstream's order per extension point, with the default score
 * weights (TaintToleration 3, NodeAffinity 2, PodTopologySpread 2, InterPodAffinity 2,
 * NodeResourcesFit 1, NodeResourcesBalancedAllocation 1), adjusted by the configuration's
 * disabled plugins and weights. Of the volume plugins only VolumeBinding is part of it;
 * ImageLocality is not.
 */
final class DefaultProfile {

    private DefaultProfile() {
    }

    /**
     * @param postFilter    DefaultPreemption, built by the caller (it needs the framework itself)
     * @param volumeBinding VolumeBinding over the caller's informers
     */
    static Framework build(SchedulerConfiguration config, PodWriter writer,
                           Function<PodInfo, LabelMatcher> ownerSelector, Plugin.PostFilter postFilter,
                           VolumeBinding volumeBinding) {
        NodeUnschedulable unschedulable = new NodeUnschedulable();
        NodeName nodeName = new NodeName();
        TaintToleration taints = new TaintToleration();
        NodeAffinityPlugin nodeAffinity = new NodeAffinityPlugin();
        NodePorts ports = new NodePorts();
        NodeResourcesFit fit = new NodeResourcesFit(config.scoringStrategy());
        PodTopologySpread spread = new PodTopologySpread(config.spreadDefaults(), config.spreadSystemDefault(),
                ownerSelector);
        InterPodAffinity podAffinity = new InterPodAffinity();
        BalancedAllocation balanced = new BalancedAllocation(List.of("cpu", "memory"));

        List<Plugin.PreFilter> preFilters = enabled(config, "preFilter",
                List.of(ports, fit, volumeBinding, spread, podAffinity));
        List<Plugin.Filter> filters = enabled(config, "filter",
                List.of(unschedulable, nodeName, taints, nodeAffinity, ports, fit, volumeBinding, spread, podAffinity));
        List<Plugin.PostFilter> postFilters = postFilter == null ? List.of()
                : enabled(config, "postFilter", List.of(postFilter));
        List<Plugin.PreScore> preScores = enabled(config, "preScore", List.of(spread, podAffinity));
        List<Framework.WeightedScore> scores = new ArrayList<>();
        addScore(config, scores, taints, 3);
        addScore(config, scores, nodeAffinity, 2);
        addScore(config, scores, fit, 1);
        addScore(config, scores, spread, 2);
        addScore(config, scores, podAffinity, 2);
        addScore(config, scores, balanced, 1);
        List<Plugin.Bind> binds = enabled(config, "bind", List.of(new DefaultBinder(writer)));
        return new Framework(preFilters, filters, postFilters, preScores, scores,
                enabled(config, "reserve", List.of(volumeBinding)), enabled(config, "preBind", List.of(volumeBinding)),
                binds);
    }

    private static <T extends Plugin> List<T> enabled(SchedulerConfiguration config, String point, List<T> plugins) {
        return plugins.stream().filter(p -> !config.isDisabled(point, p.name())).toList();
    }

    private static void addScore(SchedulerConfiguration config, List<Framework.WeightedScore> scores,
                                 Plugin.Score plugin, int weight) {
        if (!config.isDisabled("score", plugin.name())) {
            scores.add(new Framework.WeightedScore(plugin, config.scoreWeights().getOrDefault(plugin.name(), weight)));
        }
    }
}
