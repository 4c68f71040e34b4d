package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the objects of the trees the watch cache decodes with {@link CompactObjectMap}s for
 * children: the cache holds every current object as a tree, and in a steady state of thousands of
 * pods those trees' {@code LinkedHashMap}s were the largest part of the server's heap. Copies of
 * such a tree ({@code deepCopy()}), which writers make before changing anything, are ordinary
 * Jackson trees again.
 *
 * <p>Short strings repeat from object to object ({@code "True"}, {@code "Ready"},
 * {@code "IfNotPresent"}, a manager's name, an image): the first {@value #SHARED_TEXTS} distinct
 * ones up to {@value #SHARED_TEXT_LENGTH} characters are kept, and every tree holding one of
 * them shares its (immutable) node.
 */
final class CompactNodeFactory extends JsonNodeFactory {

    private static final long serialVersionUID = 1L;
    static final int SHARED_TEXTS = 8192;
    static final int SHARED_TEXT_LENGTH = 24;

    private final transient Map<String, TextNode> shared = new ConcurrentHashMap<>();

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

    @Override
    public TextNode textNode(String text) {
        if (text == null || text.length() > SHARED_TEXT_LENGTH) {
            return super.textNode(text);
        }
        TextNode node = shared.get(text);
        if (node == null) {
            node = super.textNode(text);
            if (shared.size() < SHARED_TEXTS) {
                TextNode raced = shared.putIfAbsent(text, node);
                node = raced != null ? raced : node;
            }
        }
        return node;
    }
}
