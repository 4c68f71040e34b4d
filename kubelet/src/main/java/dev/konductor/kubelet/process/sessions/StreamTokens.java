package dev.konductor.kubelet.process.sessions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one-time tokens of prepared sessions, as a CRI streaming server hands them out: each
 * names one session, may be used once, and lapses after {@link #TTL} (upstream's streaming
 * server keeps them a minute). Thread-safe.
 */
final class StreamTokens {

    static final Duration TTL = Duration.ofMinutes(1);
    static final int MAX_PENDING = 1000;

    private record Pending(Session session, Instant expires) {
    }

    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    StreamTokens(Clock clock) {
        this.clock = clock;
    }

    synchronized String put(Session session) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> !p.expires().isAfter(now));
        if (pending.size() >= MAX_PENDING) {
            pending.remove(pending.keySet().iterator().next());
        }
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        pending.put(token, new Pending(session, now.plus(TTL)));
        return token;
    }

    /** The session of {@code token}, once; empty when unknown, used or lapsed. */
    synchronized Optional<Session> take(String token) {
        Pending p = pending.remove(token);
        return p == null || !p.expires().isAfter(clock.instant()) ? Optional.empty() : Optional.of(p.session());
    }
}
