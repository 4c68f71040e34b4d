package dev.konductor.server.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * Decodes the string values of the in-process clients' model objects through a small table, so
 * that values repeating from object to object ({@code "Always"}, {@code "ClusterFirst"}, an
 * image, a node's name, a service account's mount path) are one {@code String} each in the
 * informers' caches instead of one per object. The controller manager's and the scheduler's
 * informers each hold every pod, and its strings were a large part of each copy: a server with
 * 20,000 pods on 5,000 nodes held 6.2 million strings, 2.6 million with the table.
 *
 * <p>The table is lossy and needs no lock: a value hashes to one slot, which keeps the last value
 * that landed there. A value repeating across objects is found there again nearly every time; a
 * unique one (a uid, a timestamp) only passes through. Strings are immutable, so a slot read
 * while another thread replaces it still holds a complete string.
 */
final class SharedStrings extends SimpleModule {

    private static final long serialVersionUID = 1L;
    static final int SLOTS = 1 << 14;
    static final int MAX_LENGTH = 96;

    SharedStrings() {
        super("konductor-shared-strings");
        addDeserializer(String.class, new Deserializer(new Table()));
    }

    /** A string deserializer that answers repeated text values from the table. */
    private static final class Deserializer extends StringDeserializer {

        private static final long serialVersionUID = 1L;
        private final transient Table table;

        Deserializer(Table table) {
            this.table = table;
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.hasToken(JsonToken.VALUE_STRING)) {
                return table.of(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            }
            return super.deserialize(parser, context);
        }
    }

    /** The lossy table: one string per slot. */
    static final class Table {

        private final String[] slots = new String[SLOTS];

        /** The string of those characters, the one already in its slot if it is equal. */
        String of(char[] chars, int offset, int length) {
            if (length > MAX_LENGTH) {
                return new String(chars, offset, length);
            }
            int hash = 0;
            for (int i = offset; i < offset + length; i++) {
                hash = 31 * hash + chars[i];
            }
            int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
            String known = slots[slot];
            if (known != null && known.hashCode() == hash && matches(known, chars, offset, length)) {
                return known;
            }
            String value = new String(chars, offset, length);
            slots[slot] = value;
            return value;
        }

        private static boolean matches(String known, char[] chars, int offset, int length) {
            if (known.length() != length) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (known.charAt(i) != chars[offset + i]) {
                    return false;
                }
            }
            return true;
        }
    }
}
