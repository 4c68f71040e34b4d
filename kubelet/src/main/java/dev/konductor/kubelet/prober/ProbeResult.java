package dev.konductor.kubelet.prober;

/**
 * What one probe attempt found, as upstream's probe.Result with its output: {@code SUCCESS};
 * {@code WARNING} (counts as a success, with an event, e.g. a redirect to another host);
 * {@code FAILURE} with the reason ({@code HTTP probe failed with statuscode: 500}); {@code ERROR}
 * when the probe could not be run at all (a named port that does not exist), which counts as a
 * failure too.
 */
public record ProbeResult(Kind kind, String output) {

    public enum Kind { SUCCESS, WARNING, FAILURE, ERROR }

    public ProbeResult {
        output = output == null ? "" : output;
    }

    public static ProbeResult success(String output) {
        return new ProbeResult(Kind.SUCCESS, output);
    }

    public static ProbeResult warning(String output) {
        return new ProbeResult(Kind.WARNING, output);
    }

    public static ProbeResult failure(String output) {
        return new ProbeResult(Kind.FAILURE, output);
    }

    public static ProbeResult error(String output) {
        return new ProbeResult(Kind.ERROR, output);
    }

    /** The verdict this attempt counts as, before thresholds. */
    public ProbeType.Outcome outcome() {
        return kind == Kind.SUCCESS || kind == Kind.WARNING ? ProbeType.Outcome.SUCCESS : ProbeType.Outcome.FAILURE;
    }
}
