package dev.konductor.api.meta;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomIdsTest {

    @Test
    void uidsAreDistinctVersion4Uuids() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 5_000; i++) { // well past one refill of the buffer
            String uid = RandomIds.uid();
            assertThat(uid).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
            UUID parsed = UUID.fromString(uid);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(seen.add(uid)).as("uid %s repeated", uid).isTrue();
        }
    }

    @Test
    void nameSuffixIsFiveCharactersOfUpstreamsAlphabet() {
        SplittableRandom random = new SplittableRandom(7);
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String suffix = RandomIds.nameSuffix(random);
            assertThat(suffix).hasSize(5).matches("[bcdfghjklmnpqrstvwxz2456789]{5}");
            suffix.chars().forEach(c -> used.add((char) c));
        }
        assertThat(used).hasSize(RandomIds.NAME_ALPHABET.length());
        assertThat(RandomIds.nameSuffix(RandomIds.THREAD_LOCAL)).hasSize(5);
    }
}
