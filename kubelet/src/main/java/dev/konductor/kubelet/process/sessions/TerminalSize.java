package dev.konductor.kubelet.process.sessions;

/** A terminal's size in characters, as kubectl sends it on the resize stream. */
public record TerminalSize(int columns, int rows) {

    public static final TerminalSize DEFAULT = new TerminalSize(80, 24);

    public TerminalSize {
        if (columns < 0 || rows < 0) {
            throw new IllegalArgumentException("a terminal size must not be negative: " + columns + "x" + rows);
        }
    }
}
