package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes the objects of the trees the watch cache decodes with {@link CompactObjectMap}s for
 * children: the cache holds every current object as a tree, and in a steady state of thousands of
 * pods those trees' {@code LinkedHashMap}s were the largest part of the server's heap. Copies of
 * such a tree ({@code deepCopy()}), which writers make before changing anything, are ordinary
 * Jackson trees again.
 */
final class CompactNodeFactory extends JsonNodeFactory {

    private static final long serialVersionUID = 1L;

    private CompactNodeFactory() {
        super(false);
    }

    /** A copy of {@code mapper} whose decoded trees use this factory. */
    static ObjectMapper decoderFrom(ObjectMapper mapper) {
        ObjectMapper decoder = mapper.copy();
        decoder.setNodeFactory(new CompactNodeFactory());
        return decoder;
    }

    @Override
    public ObjectNode objectNode() {
        return new ObjectNode(this, new CompactObjectMap());
    }
}
