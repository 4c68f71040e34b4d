package dev.konductor.api.meta;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;

/**
 * The random parts of object metadata, as upstream makes them: a {@code uid} is a version 4 UUID
 * from the system's secure random source; a generated name suffix ({@code generateName}, a
 * service-account volume) is five characters of a vowel-free alphabet from an ordinary generator
 * (upstream's {@code utilrand.String}, math/rand), as it only has to be unlikely to collide.
 *
 * <p>Every create takes a uid, and {@link UUID#randomUUID()} reads the OS source once per call
 * behind one lock for the whole JVM; uids here come from a buffer refilled from a
 * {@link SecureRandom} every {@value #BUFFERED_UIDS} uids (google/uuid's random pool does the same).
 */
public final class RandomIds {

    /** Upstream's name-suffix alphabet: no vowels (no words), no look-alike characters. */
    static final String NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
    public static final int NAME_SUFFIX_LENGTH = 5;

    /** An ordinary generator, safe from any thread: each call asks the calling thread's own. */
    public static final RandomGenerator THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

    private static final int BUFFERED_UIDS = 256;
    private static final SecureRandom SOURCE = new SecureRandom();
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final byte[] BUFFER = new byte[16 * BUFFERED_UIDS];
    private static int next = BUFFER.length;

    private RandomIds() {
    }

    /** A new version 4 (random) UUID, as upstream's {@code uuid.NewRandom()}, in its text form. */
    public static String uid() {
        long most;
        long least;
        LOCK.lock();
        try {
            if (next == BUFFER.length) {
                SOURCE.nextBytes(BUFFER);
                next = 0;
            }
            most = readLong(BUFFER, next);
            least = readLong(BUFFER, next + 8);
            next += 16;
        } finally {
            LOCK.unlock();
        }
        most = (most & ~0xF000L) | 0x4000L; // version 4
        least = (least & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least).toString();
    }

    /** Five characters of upstream's name alphabet from {@code random}. */
    public static String nameSuffix(RandomGenerator random) {
        char[] suffix = new char[NAME_SUFFIX_LENGTH];
        for (int i = 0; i < suffix.length; i++) {
            suffix[i] = NAME_ALPHABET.charAt(random.nextInt(NAME_ALPHABET.length()));
        }
        return new String(suffix);
    }

    private static long readLong(byte[] b, int from) {
        long v = 0;
        for (int i = from; i < from + 8; i++) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }
}
