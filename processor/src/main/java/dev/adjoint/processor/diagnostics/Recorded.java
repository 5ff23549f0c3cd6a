package dev.adjoint.processor.diagnostics;

import dev.adjoint.processor.ir.Pos;
import java.util.ArrayList;
import java.util.List;

/**
 * Errors kept to be reported later, or never: those of a called method, which matter only where the call needs its
 * body (an argument carries a derivative); a call with constant arguments is simply made.
 */
public final class Recorded implements Diagnostics {
    private record Error(DiagnosticId id, Pos pos, String detail, String wayOut) {}

    private final List<Error> errors = new ArrayList<>();

    @Override
    public void error(DiagnosticId id, Pos pos, String detail, String wayOut) {
        errors.add(new Error(id, pos, detail, wayOut));
    }

    @Override
    public int errorCount() {
        return errors.size();
    }

    /** Reports the recorded errors, in order, to {@code to}. */
    public void replay(Diagnostics to) {
        for (Error e : errors) {
            to.error(e.id(), e.pos(), e.detail(), e.wayOut());
        }
    }
}
