package dev.konductor.api.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Jackson reuses its parsers' and generators' buffers (an 8 KB output buffer, a 4 KB character
 * buffer, the first block of every {@code writeValueAsBytes}) through a pool that is by default
 * per thread. The API server handles each request on a virtual thread of its own, so that pool
 * never gave a buffer back: JFR counted a third of the server's allocation during pod creates in
 * those fresh buffers. Factories and mappers used on virtual threads share one concurrent pool
 * instead, which holds as many buffer sets as requests ran at once.
 */
public final class SharedJsonBuffers {

    private SharedJsonBuffers() {
    }

    /** {@code factory}, now taking its buffers from the shared pool. */
    public static <F extends JsonFactory> F in(F factory) {
        factory.setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
        return factory;
    }

    /** {@code mapper}, its factory now taking its buffers from the shared pool. */
    public static <M extends ObjectMapper> M in(M mapper) {
        in(mapper.getFactory());
        return mapper;
    }
}
