package dev.konductor.apiserver.watchcache;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The children of one JSON object in the watch cache's trees: a {@link Map} in insertion order,
 * as Jackson's {@code LinkedHashMap}, but kept in one array of alternating keys and values while
 * it holds few entries. Stored objects are mostly small objects (a pod's {@code managedFields}
 * alone is dozens of them, most empty), and a {@code LinkedHashMap} costs 56 bytes empty, an
 * 80-byte table once used and a 40-byte entry per key; this costs 24 bytes and an array sized to
 * the entries. Past {@value #ARRAY_LIMIT} entries it moves them into a {@code LinkedHashMap}.
 * Fully mutable, like the map it stands in for; not thread-safe, as that one isn't.
 */
final class CompactObjectMap extends AbstractMap<String, JsonNode> {

    static final int ARRAY_LIMIT = 8;
    private static final Object[] NONE = new Object[0];

    /** keys at even indexes, their values after them; null once {@link #large} took over */
    private Object[] slots = NONE;
    private int size;
    private LinkedHashMap<String, JsonNode> large;

    @Override
    public int size() {
        return large != null ? large.size() : size;
    }

    @Override
    public boolean isEmpty() {
        return size() == 0;
    }

    private int indexOf(Object key) {
        Object[] s = slots;
        for (int i = 0; i < size; i++) {
            Object k = s[2 * i];
            if (k == key || k.equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return large != null ? large.containsKey(key) : indexOf(key) >= 0;
    }

    @Override
    public JsonNode get(Object key) {
        if (large != null) {
            return large.get(key);
        }
        int i = indexOf(key);
        return i < 0 ? null : (JsonNode) slots[2 * i + 1];
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        Objects.requireNonNull(key, "key");
        if (large != null) {
            return large.put(key, value);
        }
        int i = indexOf(key);
        if (i >= 0) {
            JsonNode old = (JsonNode) slots[2 * i + 1];
            slots[2 * i + 1] = value;
            return old;
        }
        if (size == ARRAY_LIMIT) {
            large = new LinkedHashMap<>();
            for (int j = 0; j < size; j++) {
                large.put((String) slots[2 * j], (JsonNode) slots[2 * j + 1]);
            }
            large.put(key, value);
            slots = null;
            size = 0;
            return null;
        }
        if (2 * size == slots.length) {
            Object[] grown = new Object[Math.max(4, 2 * slots.length)];
            System.arraycopy(slots, 0, grown, 0, 2 * size);
            slots = grown;
        }
        slots[2 * size] = key;
        slots[2 * size + 1] = value;
        size++;
        return null;
    }

    @Override
    public JsonNode remove(Object key) {
        if (large != null) {
            return large.remove(key);
        }
        int i = indexOf(key);
        if (i < 0) {
            return null;
        }
        JsonNode old = (JsonNode) slots[2 * i + 1];
        removeAt(i);
        return old;
    }

    private void removeAt(int i) {
        System.arraycopy(slots, 2 * i + 2, slots, 2 * i, 2 * (size - i - 1));
        size--;
        slots[2 * size] = null;
        slots[2 * size + 1] = null;
    }

    @Override
    public void clear() {
        large = null;
        slots = NONE;
        size = 0;
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, JsonNode>> iterator() {
                return large != null ? large.entrySet().iterator() : new ArrayIterator();
            }

            @Override
            public int size() {
                return CompactObjectMap.this.size();
            }

            @Override
            public void clear() {
                CompactObjectMap.this.clear();
            }
        };
    }

    /** Iterates the array; its entries write through, and {@code remove} removes the last one returned. */
    private final class ArrayIterator implements Iterator<Entry<String, JsonNode>> {
        private int next;
        private int last = -1;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Entry<String, JsonNode> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            last = next++;
            return new Slot(last);
        }

        @Override
        public void remove() {
            if (last < 0) {
                throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
        }
    }

    /** An entry at one index of the array (valid until the map changes shape, as a HashMap entry is). */
    private final class Slot implements Entry<String, JsonNode> {
        private final int index;

        Slot(int index) {
            this.index = index;
        }

        @Override
        public String getKey() {
            return (String) slots[2 * index];
        }

        @Override
        public JsonNode getValue() {
            return (JsonNode) slots[2 * index + 1];
        }

        @Override
        public JsonNode setValue(JsonNode value) {
            JsonNode old = getValue();
            slots[2 * index + 1] = value;
            return old;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry<?, ?> e && getKey().equals(e.getKey()) && Objects.equals(getValue(), e.getValue());
        }

        @Override
        public int hashCode() {
            return getKey().hashCode() ^ Objects.hashCode(getValue());
        }

        @Override
        public String toString() {
            return getKey() + "=" + getValue();
        }
    }
}
