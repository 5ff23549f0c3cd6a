package dev.adjoint.processor.diagnostics;

import dev.adjoint.processor.ir.Pos;

/**
 * Where the pipeline reports errors. Reporting never throws; a method with any error is abandoned after its
 * phase, and the processor goes on with the next method.
 */
public interface Diagnostics {
    /**
     * Reports an error at a position of the user's source.
     *
     * @param id     the stable ID
     * @param pos    where (its tree's line and column)
     * @param detail what exactly, naming the user's construct
     */
    default void error(DiagnosticId id, Pos pos, String detail) {
        error(id, pos, detail, null);
    }

    /**
     * Reports an error whose way out is particular to this cause, in place of the ID's usual one.
     *
     * @param id     the stable ID
     * @param pos    where (its tree's line and column)
     * @param detail what exactly, naming the user's construct
     * @param wayOut what to do instead, complete in itself; null for the ID's usual way out
     */
    void error(DiagnosticId id, Pos pos, String detail, String wayOut);

    /** @return how many errors have been reported so far */
    int errorCount();

    /** Discards everything: for re-running an analysis whose errors were already reported. */
    Diagnostics NONE = new Diagnostics() {
        @Override
        public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {}

        @Override
        public int errorCount() {
            return 0;
        }
    };
}
