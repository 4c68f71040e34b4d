package dev.konductor.proxy.dns;

import java.util.List;
import org.xbill.DNS.Record;

/** What the cluster's records say about a question. */
sealed interface Lookup {

    /** Records for the question; {@code additional} may hold the addresses SRV targets name. */
    record Answer(List<Record> answers, List<Record> additional) implements Lookup {
        public Answer {
            answers = List.copyOf(answers);
            additional = List.copyOf(additional);
        }

        public Answer(List<Record> answers) {
            this(answers, List.of());
        }
    }

    /** The name exists in the zone but has no records of the asked type (NOERROR, empty answer). */
    record NoData() implements Lookup {
    }

    /** No such name in the zone. */
    record NxDomain() implements Lookup {
    }

    /** The caches have not been filled yet: SERVFAIL, so that clients retry rather than cache a lie. */
    record NotReady() implements Lookup {
    }

    /** Not ours to answer: the forwarder's. */
    record Elsewhere() implements Lookup {
    }

    Lookup NO_DATA = new NoData();
    Lookup NX_DOMAIN = new NxDomain();
    Lookup NOT_READY = new NotReady();
    Lookup ELSEWHERE = new Elsewhere();
}
