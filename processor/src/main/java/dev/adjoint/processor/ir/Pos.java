package dev.adjoint.processor.ir;

/**
 * Where an IR node came from: the javac tree (a {@code com.sun.source.tree.Tree}), kept opaque so the IR does not
 * depend on javac, and used only to report diagnostics at the user's line and column. {@link #NONE} for nodes the
 * pipeline makes itself.
 *
 * @param tree the originating tree, or null
 */
public record Pos(Object tree) {
    /** No position: a node the pipeline made. */
    public static final Pos NONE = new Pos(null);
}
