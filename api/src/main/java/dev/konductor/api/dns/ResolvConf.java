package dev.konductor.api.dns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a resolv.conf that Kubernetes reads and writes: name servers, the search list
 * and options. Parsed as the kubelet reads the host's file (the last {@code search} line wins,
 * {@code options} accumulate with a later value of the same option replacing an earlier one,
 * {@code domain} and anything else is ignored) and rendered as container runtimes write a pod's.
 */
public record ResolvConf(List<String> nameservers, List<String> searches, List<String> options) {

    public static final ResolvConf EMPTY = new ResolvConf(List.of(), List.of(), List.of());

    public ResolvConf {
        nameservers = List.copyOf(nameservers);
        searches = List.copyOf(searches);
        options = List.copyOf(options);
    }

    public static ResolvConf parse(String text) {
        List<String> nameservers = new ArrayList<>();
        List<String> searches = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String rawLine : text.split("\n")) {
            String line = stripComment(rawLine).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            switch (fields[0]) {
                case "nameserver" -> {
                    if (fields.length > 1) {
                        nameservers.add(fields[1]);
                    }
                }
                case "search" -> {
                    searches.clear();
                    for (int i = 1; i < fields.length; i++) {
                        // "search ." means no search list; a trailing dot is implied by the resolver
                        if (!fields[i].equals(".")) {
                            searches.add(trimTrailingDot(fields[i]));
                        }
                    }
                }
                case "options" -> {
                    for (int i = 1; i < fields.length; i++) {
                        options.add(fields[i]);
                    }
                    options = mergeOptions(options, List.of());
                }
                default -> {
                    // domain, sortlist, lookup...: not carried into pods
                }
            }
        }
        return new ResolvConf(nameservers, searches, options);
    }

    /** The file as written into a pod: the search line, one nameserver line each, the options line. */
    public String render() {
        StringBuilder out = new StringBuilder();
        if (!searches.isEmpty()) {
            out.append("search ").append(String.join(" ", searches)).append('\n');
        }
        for (String nameserver : nameservers) {
            out.append("nameserver ").append(nameserver).append('\n');
        }
        if (!options.isEmpty()) {
            out.append("options ").append(String.join(" ", options)).append('\n');
        }
        return out.toString();
    }

    /**
     * {@code base} with {@code overrides} applied: an option named in both (the name is what
     * precedes a colon, as in {@code ndots:5}) takes the override's value, in the base's place.
     */
    static List<String> mergeOptions(List<String> base, List<String> overrides) {
        Map<String, String> byName = new LinkedHashMap<>();
        for (String option : base) {
            byName.put(optionName(option), option);
        }
        for (String option : overrides) {
            byName.put(optionName(option), option);
        }
        return new ArrayList<>(byName.values());
    }

    private static String optionName(String option) {
        int colon = option.indexOf(':');
        return colon < 0 ? option : option.substring(0, colon);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        int semicolon = line.indexOf(';');
        int cut = hash < 0 ? semicolon : semicolon < 0 ? hash : Math.min(hash, semicolon);
        return cut < 0 ? line : line.substring(0, cut);
    }

    private static String trimTrailingDot(String domain) {
        return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    }
}
