package dev.adjoint.processor.parse;

import dev.adjoint.processor.ir.Sym;
import dev.adjoint.processor.ir.Ty;
import java.util.HashMap;
import java.util.Map;

/**
 * Lexical scopes of one method: a chain of name-to-{@link Sym} maps, innermost first. A name whose declaration
 * had an error is bound to {@link #POISONED}, so its uses resolve silently instead of reporting again.
 */
final class Scope {
    /** Bound to names whose declaration was rejected; never escapes into the IR. */
    static final Sym POISONED = new Sym(-1, "<error>", Ty.DOUBLE, -1);

    private final Scope parent;
    private final Map<String, Sym> names = new HashMap<>();

    private Scope(Scope parent) {
        this.parent = parent;
    }

    /** @return the outermost scope of a method (its parameters) */
    static Scope root() {
        return new Scope(null);
    }

    /** @return a new scope nested in this one */
    Scope child() {
        return new Scope(this);
    }

    /** @return the enclosing scope, or null for the root */
    Scope parent() {
        return parent;
    }

    /** Binds {@code name} in this scope, shadowing any outer binding. */
    void declare(String name, Sym sym) {
        names.put(name, sym);
    }

    /** @return the innermost binding of {@code name}, {@link #POISONED}, or null when none */
    Sym lookup(String name) {
        for (Scope s = this; s != null; s = s.parent) {
            Sym sym = s.names.get(name);
            if (sym != null) {
                return sym;
            }
        }
        return null;
    }
}
