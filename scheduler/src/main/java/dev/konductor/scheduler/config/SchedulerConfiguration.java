package dev.konductor.scheduler.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.konductor.scheduler.plugins.PodTopologySpread;
import dev.konductor.scheduler.plugins.ScoringStrategy;
import dev.konductor.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scheduler takes from a KubeSchedulerConfiguration file
 * ({@code kubescheduler.config.k8s.io/v1}): the first profile's scheduler name, enabled and
 * disabled plugins and score weights, NodeResourcesFitArgs.scoringStrategy and
 * PodTopologySpreadArgs default constraints; plus percentageOfNodesToScore and the pod backoff.
 *
 * @param disabled            plugin names disabled per extension point ("filter", "score", ...,
 *                            "multiPoint"); "*" disables every default plugin there
 * @param scoreWeights        weights given to score plugins in {@code plugins.score.enabled} or multiPoint
 * @param spreadDefaults      the cluster default topology spread constraints
 * @param spreadSystemDefault whether those are upstream's system defaults
 */
public record SchedulerConfiguration(String schedulerName, Map<String, Set<String>> disabled,
                                     Map<String, Integer> scoreWeights, ScoringStrategy scoringStrategy,
                                     List<TopologySpreadConstraint> spreadDefaults, boolean spreadSystemDefault,
                                     int percentageOfNodesToScore, Duration podInitialBackoff,
                                     Duration podMaxBackoff) {

    public static final String API_VERSION = "kubescheduler.config.k8s.io/v1";
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

    public static SchedulerConfiguration defaults() {
        return new SchedulerConfiguration(DEFAULT_SCHEDULER_NAME, Map.of(), Map.of(), ScoringStrategy.DEFAULT,
                PodTopologySpread.SYSTEM_DEFAULTS, true, 0, SchedulingQueue.DEFAULT_INITIAL_BACKOFF,
                SchedulingQueue.DEFAULT_MAX_BACKOFF);
    }

    /** Whether {@code plugin} is disabled at extension point {@code point}. */
    public boolean isDisabled(String point, String plugin) {
        for (String where : List.of(point, "multiPoint")) {
            Set<String> names = disabled.getOrDefault(where, Set.of());
            if (names.contains(plugin) || names.contains("*")) {
                return true;
            }
        }
        return false;
    }

    public static SchedulerConfiguration load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scheduler configuration " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses a KubeSchedulerConfiguration (YAML or JSON); fails with a message naming the bad field. */
    public static SchedulerConfiguration parse(String text) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("scheduler configuration is not valid YAML: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("scheduler configuration must be a KubeSchedulerConfiguration object");
        }
        String apiVersion = root.path("apiVersion").asText("");
        String kind = root.path("kind").asText("");
        if (!API_VERSION.equals(apiVersion) || !"KubeSchedulerConfiguration".equals(kind)) {
            throw new IllegalArgumentException("scheduler configuration: expected apiVersion " + API_VERSION
                    + " and kind KubeSchedulerConfiguration, got " + apiVersion + " " + kind);
        }
        SchedulerConfiguration d = defaults();
        int percentage = root.path("percentageOfNodesToScore").asInt(0);
        if (percentage < 0 || percentage > 100) {
            throw new IllegalArgumentException("percentageOfNodesToScore: Invalid value: " + percentage
                    + ": not in valid range [0-100]");
        }
        Duration initial = root.has("podInitialBackoffSeconds")
                ? Duration.ofSeconds(positive(root, "podInitialBackoffSeconds")) : d.podInitialBackoff();
        Duration max = root.has("podMaxBackoffSeconds")
                ? Duration.ofSeconds(positive(root, "podMaxBackoffSeconds")) : d.podMaxBackoff();
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("podMaxBackoffSeconds: Invalid value: must be greater than or equal "
                    + "to PodInitialBackoffSeconds");
        }
        JsonNode profile = root.path("profiles").path(0);
        String name = profile.path("schedulerName").asText(DEFAULT_SCHEDULER_NAME);
        Map<String, Set<String>> disabled = new HashMap<>();
        Map<String, Integer> weights = new HashMap<>();
        profile.path("plugins").properties().forEach(point -> {
            Set<String> off = new HashSet<>();
            point.getValue().path("disabled").forEach(p -> off.add(p.path("name").asText()));
            disabled.put(point.getKey(), off);
            if (point.getKey().equals("score") || point.getKey().equals("multiPoint")) {
                point.getValue().path("enabled").forEach(p -> {
                    if (p.has("weight")) {
                        weights.put(p.path("name").asText(), p.path("weight").asInt());
                    }
                });
            }
        });
        ScoringStrategy strategy = d.scoringStrategy();
        List<TopologySpreadConstraint> spread = d.spreadDefaults();
        boolean systemDefault = true;
        for (JsonNode pc : profile.path("pluginConfig")) {
            JsonNode args = pc.path("args");
            switch (pc.path("name").asText()) {
                case "NodeResourcesFit" -> strategy = scoringStrategy(args.path("scoringStrategy"));
                case "PodTopologySpread" -> {
                    if ("List".equals(args.path("defaultingType").asText("System"))) {
                        spread = constraints(args.path("defaultConstraints"));
                        systemDefault = false;
                    }
                }
                default -> {
                }
            }
        }
        return new SchedulerConfiguration(name, disabled, weights, strategy, spread, systemDefault, percentage,
                initial, max);
    }

    private static long positive(JsonNode root, String field) {
        long v = root.path(field).asLong(0);
        if (v <= 0) {
            throw new IllegalArgumentException(field + ": Invalid value: " + root.path(field) + ": must be greater than 0");
        }
        return v;
    }

    private static ScoringStrategy scoringStrategy(JsonNode s) {
        if (s.isMissingNode() || s.isNull()) {
            return ScoringStrategy.DEFAULT;
        }
        String typeName = s.path("type").asText("LeastAllocated");
        ScoringStrategy.Type type;
        try {
            type = ScoringStrategy.Type.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("scoringStrategy.type: Unsupported value: \"" + typeName
                    + "\": supported values: \"LeastAllocated\", \"MostAllocated\", \"RequestedToCapacityRatio\"");
        }
        List<ScoringStrategy.ResourceWeight> resources = new ArrayList<>();
        for (JsonNode r : s.path("resources")) {
            resources.add(new ScoringStrategy.ResourceWeight(r.path("name").asText(), r.path("weight").asInt(1)));
        }
        List<ScoringStrategy.ShapePoint> shape = new ArrayList<>();
        for (JsonNode p : s.path("requestedToCapacityRatio").path("shape")) {
            shape.add(new ScoringStrategy.ShapePoint(p.path("utilization").asInt(), p.path("score").asInt()));
        }
        return new ScoringStrategy(type, resources, shape);
    }

    private static List<TopologySpreadConstraint> constraints(JsonNode list) {
        List<TopologySpreadConstraint> out = new ArrayList<>();
        for (JsonNode c : list) {
            if (c.has("labelSelector")) {
                throw new IllegalArgumentException("defaultConstraints[].labelSelector: Forbidden: constraint must not "
                        + "define a selector, as they deduced for each pod");
            }
            out.add(new TopologySpreadConstraintBuilder().withMaxSkew(c.path("maxSkew").asInt(1))
                    .withTopologyKey(c.path("topologyKey").asText())
                    .withWhenUnsatisfiable(c.path("whenUnsatisfiable").asText("DoNotSchedule")).build());
        }
        return out;
    }
}
