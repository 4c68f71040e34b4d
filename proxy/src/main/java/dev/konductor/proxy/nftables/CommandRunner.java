package dev.konductor.proxy.nftables;

import java.io.IOException;
import java.util.List;

/** Runs a host command (nft, ip); the seam where tests watch what would be done to the kernel. */
public interface CommandRunner {

    /** What a command printed and how it ended. */
    record Result(int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs {@code command}, feeding it {@code stdin} (may be empty), and waits for it.
     *
     * @throws IOException if it cannot be started or does not finish in time
     */
    Result run(List<String> command, String stdin) throws IOException, InterruptedException;

    /** Runs {@code command} and fails unless it exits 0. */
    default Result check(List<String> command, String stdin) throws IOException, InterruptedException {
        Result result = run(command, stdin);
        if (!result.ok()) {
            throw new IOException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip());
        }
        return result;
    }
}
