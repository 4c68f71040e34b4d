package dev.konductor.apiserver.rest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code /version} reports. Minor 32 matters: the kubectl dispatcher on these machines
 * picks the client binary by it (kubectl-wire.md §0).
 */
public final class ServerVersion {

    public static final String GIT_VERSION = "v1.32.0-konductor";

    private ServerVersion() {
    }

    static ObjectNode json() {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.put("major", "1");
        v.put("minor", "32");
        v.put("gitVersion", GIT_VERSION);
        v.put("gitCommit", "0000000000000000000000000000000000000000");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2026-11-22T00:00:00Z");
        v.put("goVersion", "java" + Runtime.version().feature());
        v.put("compiler", "javac");
        v.put("platform", System.getProperty("os.name").toLowerCase() + "/" + arch());
        return v;
    }

    private static String arch() {
        String arch = System.getProperty("os.arch");
        return arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") ? "arm64" : arch;
    }
}
