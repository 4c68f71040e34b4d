package dev.konductor.scheduler.plugins;

/** One topology domain: a node label key and its value (zone=a, kubernetes.io/hostname=n1). */
record TopologyPair(String key, String value) {
}
