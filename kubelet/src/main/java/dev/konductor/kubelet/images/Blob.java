package dev.konductor.kubelet.images;

import java.util.Arrays;

/** One piece of content of an image (manifest, config or layer), addressed by its digest. */
public record Blob(String mediaType, byte[] content, String digest) {

    public Blob(String mediaType, byte[] content) {
        this(mediaType, content, Digests.sha256(content));
    }

    public long size() {
        return content.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Blob other && other.digest.equals(digest) && other.mediaType.equals(mediaType);
    }

    @Override
    public int hashCode() {
        return digest.hashCode();
    }

    @Override
    public String toString() {
        return "Blob[" + mediaType + " " + digest + " " + content.length + " bytes]";
    }

    byte[] copy() {
        return Arrays.copyOf(content, content.length);
    }
}
